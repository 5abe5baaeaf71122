/**
 * The local live provider: voice activity detection, local speech-to-text, a responder (or any
 * turn-based model), local text-to-speech and the rate limiter, made live by {@code LiveModelProcessor},
 * behind the {@code LiveProcessor} contract and registered for {@code RealtimeVoice} as {@code local}. No
 * key, no network.
 */
@NullMarked
package dev.genaiprocessors.offline.realtime;

import org.jspecify.annotations.NullMarked;
