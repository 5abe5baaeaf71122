/**
 * Model clients and what they share: turn-based clients over HTTP ({@code .gemini}, {@code .openai}),
 * their typed errors ({@link dev.genaiprocessors.live.ModelApiException},
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
