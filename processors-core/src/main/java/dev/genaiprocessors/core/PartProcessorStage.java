package dev.genaiprocessors.core;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * A part processor run over a stream: up to {@code maxConcurrency} parts in flight, outputs in input
 * order ({@code flatMapSequential}). Made by {@link PartProcessor#toProcessor()}; see there for the
 * contract.
 */
final class PartProcessorStage implements Processor {

  private final PartProcessor processor;
  private final int maxConcurrency;
  /** The processor as a fused chain, when it is one: evaluated without a {@code Flux} per part where it can. */
  private final @Nullable ChainPartProcessor chain;
  private final @Nullable CompositePartProcessor composite;

  PartProcessorStage(PartProcessor processor, int maxConcurrency) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
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
    return Flux.deferContextual(context -> {
      ReservedSubstreams reserved = ReservedSubstreams.from(context);
      return ReservedBypass.around(input, reserved, nonReserved -> run(nonReserved, reserved));
    });
  }

  /** Runs the stage on input that holds no reserved parts. */
  Flux<Part> run(Flux<Part> input, ReservedSubstreams reserved) {
    PartProcessor p = processor;
    if (chain != null) {
      return input.flatMapSequential(part -> ChainPartProcessor.asFlux(chain.evaluate(part, 0, reserved)), maxConcurrency);
    }
    CompositePartProcessor c = composite;
    return input.flatMapSequential(
        part -> p.match(part) ? CompositePartProcessor.call(p, c, part, reserved) : Flux.just(part), maxConcurrency);
  }

  @Override
  public String toString() {
    return "PartProcessorStage[" + processor + ", maxConcurrency=" + maxConcurrency + "]";
  }
}
