/**
 * Parts, processors and their composition.
 *
 * <p>A {@link dev.genaiprocessors.core.Part} is one immutable piece of content with a role, a substream
 * and metadata. A {@link dev.genaiprocessors.core.Processor} turns a {@code Flux<Part>} into a
 * {@code Flux<Part>}; a {@link dev.genaiprocessors.core.PartProcessor} turns one part into a
 * {@code Flux<Part>} and runs concurrently over a stream with ordered output. Everything else in
 * the project is built on these three types.
 */
@NullMarked
package dev.genaiprocessors.core;

import org.jspecify.annotations.NullMarked;
