/**
 * Models, turn-based and live. {@link dev.genaiprocessors.live.LiveModelProcessor} makes any turn-based
 * model live over a {@link dev.genaiprocessors.live.RollingPrompt}; {@link dev.genaiprocessors.live.Window}
 * runs a processor over windows of a stream. Turn-based clients over HTTP live in {@code .gemini} and
 * {@code .openai}; what they share is here: their typed errors
 * ({@link dev.genaiprocessors.client.ModelApiException},
 * {@link dev.genaiprocessors.client.MalformedResponseException},
 * {@link dev.genaiprocessors.client.ModelConnectionException}), their configuration
 * ({@link dev.genaiprocessors.client.GenerationConfig}, {@link dev.genaiprocessors.client.RetryPolicy}), the
 * metadata keys of their answers ({@link dev.genaiprocessors.client.ResponseMetadata}), and the scripting
 * types of their loopback emulators ({@code ScriptedResponse} (processors-testkit),
 * {@code RecordedRequest} (processors-testkit)).
 */
@NullMarked
package dev.genaiprocessors.live;

import org.jspecify.annotations.NullMarked;
