package dev.genaiprocessors.core;

import java.util.List;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Processors run side by side over the same input; their whole outputs are concatenated. Made by
 * {@link Processor#parallelConcat}; see there for the contract.
 *
 * <p>The input is shared with {@link SharedInput}; the outputs are joined with {@code mergeSequential}.
 * Each processor's output after the first requests without bound and is held in a buffer of
 * {@code maxBufferedParts}, so that a later processor waiting its turn never stalls the shared input
 * (which would stall the first processor too). A full buffer fails the output at once with
 * {@link PartBufferOverflowException}.
 */
final class ParallelConcatProcessor implements Processor {

  static final int DEFAULT_MAX_BUFFERED = 65_536;

  private final List<Processor> processors;
  private final int maxBufferedParts;

  ParallelConcatProcessor(List<Processor> processors, int maxBufferedParts) {
    if (processors.isEmpty()) {
      throw new IllegalArgumentException("parallelConcat needs at least one processor");
    }
    if (maxBufferedParts < 1) {
      throw new IllegalArgumentException(
          "maxBufferedParts must be at least 1, was " + maxBufferedParts);
    }
    this.processors = List.copyOf(processors);
    this.maxBufferedParts = maxBufferedParts;
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return ReservedBypass.around(
        input,
        (nonReserved, exit) ->
            Flux.defer(
                () -> {
                  // Reactor's buffer delays its overflow error until the buffer is drained, which
                  // for a
                  // processor waiting its turn may be never; the overflow is signalled on the side
                  // at once.
                  Sinks.One<Part> overflow = Sinks.one();
                  Flux<Part> concatenated =
                      SharedInput.fanOut(
                              nonReserved,
                              processors.size(),
                              (index, shared) -> {
                                // Reserved parts a processor makes leave at once, not after the
                                // processors before it.
                                Flux<Part> out =
                                    exit.divertFrom(processors.get(index).apply(shared));
                                if (index == 0) {
                                  return out;
                                }
                                return out.onBackpressureBuffer(
                                    maxBufferedParts,
                                    dropped ->
                                        overflow.tryEmitError(
                                            new PartBufferOverflowException(
                                                "parallelConcat: processor "
                                                    + index
                                                    + " produced more than "
                                                    + maxBufferedParts
                                                    + " parts while waiting for the processors before it to complete; "
                                                    + "raise the bound with Processor.parallelConcat(maxBufferedParts, ...)")),
                                    BufferOverflowStrategy.ERROR);
                              },
                              Flux::mergeSequential)
                          .doFinally(signal -> overflow.tryEmitEmpty());
                  return Flux.merge(concatenated, overflow.asMono());
                }));
  }

  @Override
  public String toString() {
    return "ParallelConcatProcessor" + processors;
  }
}
