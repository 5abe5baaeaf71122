/**
 * The Gemini Live API ({@code BidiGenerateContent}) over Reactor Netty WebSockets:
 * {@link dev.genaiprocessors.live.geminilive.GeminiLiveProcessor}, its configuration
 * ({@link dev.genaiprocessors.live.geminilive.ActivityDetection},
 * {@link dev.genaiprocessors.live.geminilive.ModelProfile}), the parts it emits beyond the core ones
 * ({@link dev.genaiprocessors.live.geminilive.GeminiLiveParts}) and its errors
 * ({@link dev.genaiprocessors.live.geminilive.LiveSessionException},
 * {@link dev.genaiprocessors.live.geminilive.LiveProtocolException}). Test against
 * {@link dev.genaiprocessors.live.emulator.GeminiLiveEmulator}.
 */
@NullMarked
package dev.genaiprocessors.live.geminilive;

import org.jspecify.annotations.NullMarked;
