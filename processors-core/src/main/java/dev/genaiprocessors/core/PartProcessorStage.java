package dev.genaiprocessors.core;

import reactor.core.publisher.Flux;

/**
 * A part processor run over a stream: up to {@code maxConcurrency} parts in flight, outputs in input
 * order ({@code flatMapSequential}). Made by {@link PartProcessor#toProcessor()}; see there for the
 * contract.
 */
final class PartProcessorStage implements Processor {

  private final PartProcessor processor;
  private final int maxConcurrency;

  PartProcessorStage(PartProcessor processor, int maxConcurrency) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
    }
    this.processor = processor;
    this.maxConcurrency = maxConcurrency;
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
    return input.flatMapSequential(
        part -> p.match(part) ? CompositePartProcessor.call(p, part, reserved) : Flux.just(part),
        maxConcurrency);
  }

  @Override
  public String toString() {
    return "PartProcessorStage[" + processor + ", maxConcurrency=" + maxConcurrency + "]";
  }
}
