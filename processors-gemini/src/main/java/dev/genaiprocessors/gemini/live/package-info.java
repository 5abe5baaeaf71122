/**
 * The Gemini Live API ({@code BidiGenerateContent}) over Reactor Netty WebSockets:
 * {@link dev.genaiprocessors.gemini.live.GeminiLiveProcessor}, its configuration
 * ({@link dev.genaiprocessors.gemini.live.ActivityDetection},
 * {@link dev.genaiprocessors.gemini.live.ModelProfile}), the parts it emits beyond the core ones
 * ({@link dev.genaiprocessors.gemini.live.GeminiLiveParts}) and its errors
 * ({@link dev.genaiprocessors.gemini.live.LiveSessionException},
 * {@link dev.genaiprocessors.gemini.live.LiveProtocolException}). Test against
 * {@code GeminiLiveEmulator} (processors-testkit).
 */
@NullMarked
package dev.genaiprocessors.gemini.live;

import org.jspecify.annotations.NullMarked;
