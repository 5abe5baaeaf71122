/**
 * What every cloud model client shares, as API: {@link dev.genaiprocessors.client.GenerationConfig generation
 * settings}, the {@link dev.genaiprocessors.client.RetryPolicy retry policy} and
 * {@link dev.genaiprocessors.client.ResponseMetadata response metadata}. The provider modules
 * (processors-gemini, processors-openai) build on it; the machinery under them lives in
 * {@code dev.genaiprocessors.client.internal}.
 */
@NullMarked
package dev.genaiprocessors.client;

import org.jspecify.annotations.NullMarked;
