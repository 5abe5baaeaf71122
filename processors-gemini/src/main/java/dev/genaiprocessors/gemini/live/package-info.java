/**
 * The Gemini Live API ({@code BidiGenerateContent}) over Reactor Netty WebSockets:
 * {@link dev.genaiprocessors.gemini.live.GeminiLiveProcessor}, its configuration
 * ({@link dev.genaiprocessors.gemini.live.ActivityDetection},
 * {@link dev.genaiprocessors.gemini.live.ModelProfile}) and the parts it emits beyond the core ones
 * ({@link dev.genaiprocessors.gemini.live.GeminiLiveParts}). Its errors are
 * {@link dev.genaiprocessors.core.error.ModelException}s, with the close code and reason. Test against
 * {@code GeminiLiveEmulator} (processors-testkit).
 */
@NullMarked
package dev.genaiprocessors.gemini.live;

import org.jspecify.annotations.NullMarked;
