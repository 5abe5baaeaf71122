/**
 * The Gemini Live API ({@code BidiGenerateContent}) over Reactor Netty WebSockets:
 * {@link dev.genaiprocessors.live.gemini.GeminiLiveProcessor}, its configuration
 * ({@link dev.genaiprocessors.live.gemini.ActivityDetection}, {@link dev.genaiprocessors.live.gemini.ModelProfile}),
 * the parts it emits beyond the core ones ({@link dev.genaiprocessors.live.gemini.GeminiLiveParts}) and its
 * errors ({@link dev.genaiprocessors.live.gemini.LiveSessionException},
 * {@link dev.genaiprocessors.live.gemini.LiveProtocolException}). Test against
 * {@link dev.genaiprocessors.live.emulator.GeminiLiveEmulator}.
 */
@NullMarked
package dev.genaiprocessors.live.gemini;

import org.jspecify.annotations.NullMarked;
