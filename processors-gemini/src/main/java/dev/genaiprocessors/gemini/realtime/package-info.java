/**
 * Gemini Live as a {@link dev.genaiprocessors.live.realtime.RealtimeProvider} of {@code RealtimeVoice}:
 * {@link dev.genaiprocessors.gemini.realtime.GeminiRealtimeProvider}.
 */
@NullMarked
package dev.genaiprocessors.gemini.realtime;

import org.jspecify.annotations.NullMarked;
