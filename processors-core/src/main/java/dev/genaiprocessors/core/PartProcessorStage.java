package dev.genaiprocessors.core;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * A part processor run over a stream: up to {@code maxConcurrency} parts in flight, outputs in input
 * order ({@link OrderedFlatMap}, which takes a result that is there already without subscribing to
 * it). Made by {@link PartProcessor#toProcessor()}; see there for the contract.
 *
 * <p>Reserved parts that the processor produces for a part leave through the pipeline's
 * {@link ReservedExit} as they are produced, not in the part's place in the order.
 */
final class PartProcessorStage implements Processor, ReservedBypass.Stage {

  private final PartProcessor processor;
  private final int maxConcurrency;

  /** The processor as a fused chain, when it is one: evaluated without a {@code Flux} per part where it can. */
  private final @Nullable ChainPartProcessor chain;

  private final @Nullable CompositePartProcessor composite;

  PartProcessorStage(PartProcessor processor, int maxConcurrency) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "maxConcurrency must be at least 1, was " + maxConcurrency);
    }
    this.processor = processor;
    this.maxConcurrency = maxConcurrency;
    this.chain = processor instanceof ChainPartProcessor c ? c : null;
    this.composite = processor instanceof CompositePartProcessor c ? c : null;
  }

  PartProcessor processor() {
    return processor;
  }

  int maxConcurrency() {
    return maxConcurrency;
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return ReservedBypass.around(input, this);
  }

  /**
   * {@link OrderedFlatMap} requests {@code maxConcurrency} parts ahead of its output, and the stage
   * diverts the reserved parts of its input as it reads them.
   */
  @Override
  public boolean readsAhead() {
    return maxConcurrency >= ReadAhead.READ_AHEAD;
  }

  /** Runs the stage; reserved parts in {@code input} leave through {@code exit} as they are read. */
  @Override
  public Flux<Part> run(Flux<Part> input, ReservedExit exit) {
    return new OrderedFlatMap(input, step(exit), maxConcurrency);
  }

  /** What the stage makes of one part: reserved ones diverted, the others through the processor. */
  OrderedFlatMap.Step step(ReservedExit exit) {
    if (chain != null) {
      ChainPartProcessor c = chain;
      return part -> exit.divert(part) ? ScalarFlux.EMPTY : c.evaluate(part, 0, exit);
    }
    PartProcessor p = processor;
    CompositePartProcessor c = composite;
    return part ->
        exit.divert(part)
            ? ScalarFlux.EMPTY
            : !p.match(part)
                ? part
                // A composite diverts the reserved parts made inside it by itself.
                : c != null
                    ? CompositePartProcessor.call(p, c, part, exit)
                    : exit.divertFrom(CompositePartProcessor.call(p, null, part, exit));
  }

  @Override
  public String toString() {
    return "PartProcessorStage[" + processor + ", maxConcurrency=" + maxConcurrency + "]";
  }
}
