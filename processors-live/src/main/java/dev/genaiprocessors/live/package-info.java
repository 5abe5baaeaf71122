/**
 * Models, turn-based and live. {@link dev.genaiprocessors.live.LiveModelProcessor} makes any turn-based
 * model live over a {@link dev.genaiprocessors.live.RollingPrompt}; {@link dev.genaiprocessors.live.Window}
 * runs a processor over windows of a stream. Turn-based clients over HTTP live in {@code .gemini} and
 * {@code .openai}; what they share is here: their typed errors
 * ({@link dev.genaiprocessors.live.ModelApiException},
 * {@link dev.genaiprocessors.live.MalformedResponseException},
 * {@link dev.genaiprocessors.live.ModelConnectionException}), their configuration
 * ({@link dev.genaiprocessors.live.GenerationConfig}, {@link dev.genaiprocessors.live.RetryPolicy}), the
 * metadata keys of their answers ({@link dev.genaiprocessors.live.ResponseMetadata}), and the scripting
 * types of their loopback emulators ({@link dev.genaiprocessors.live.ScriptedResponse},
 * {@link dev.genaiprocessors.live.RecordedRequest}).
 */
@NullMarked
package dev.genaiprocessors.live;

import org.jspecify.annotations.NullMarked;
