package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartProcessor;
import dev.genaiprocessors.core.Processor;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;

/**
 * The pipelines the benchmarks measure: each shape once with this library's composition and once as
 * plain Reactor operators (the floor to compare with). Every stage passes each part on unchanged.
 */
final class Pipelines {

  private Pipelines() {}

  /** {@code stages} pass-through part processors fused with {@code then} into one stage: {@code p1.then(p2)...toProcessor()}. */
  static Processor partProcessorChain(int stages) {
    PartProcessor chain = passThroughPart();
    for (int i = 1; i < stages; i++) {
      chain = chain.then(passThroughPart());
    }
    return chain.toProcessor();
  }

  /** {@code stages} pass-through processors, {@code in -> in.map(p -> p)}, chained with {@code then}. */
  static Processor processorChain(int stages) {
    Processor chain = passThroughProcessor();
    for (int i = 1; i < stages; i++) {
      chain = chain.then(passThroughProcessor());
    }
    return chain;
  }

  /** {@code PartProcessor.parallel} of four pass-through branches as a stage: four outputs per part. */
  static Processor partProcessorParallel() {
    return PartProcessor.parallel(
            passThroughPart(), passThroughPart(), passThroughPart(), passThroughPart())
        .toProcessor();
  }

  /** Floor: {@code stages} times {@code map(p -> p)}. */
  static Processor reactorMap(int stages) {
    return in -> {
      Flux<Part> out = in;
      for (int i = 0; i < stages; i++) {
        out = out.map(p -> p);
      }
      return out;
    };
  }

  /** Floor: {@code stages} times {@code concatMap(p -> Flux.just(p))}, the operator form of a one-in, one-out part processor. */
  static Processor reactorConcatMap(int stages) {
    return in -> {
      Flux<Part> out = in;
      for (int i = 0; i < stages; i++) {
        out = out.concatMap(p -> Flux.just(p));
      }
      return out;
    };
  }

  /**
   * Reference: the Reactor operator a part-processor stage is built on, one ordered concurrent
   * {@code flatMapSequential(p -> Flux.just(p), 256)}, with no chain inside.
   */
  static Processor reactorFlatMapSequential() {
    return in -> in.flatMapSequential(p -> Flux.just(p), PartProcessor.DEFAULT_CONCURRENCY);
  }

  /**
   * Reference: the same {@code stages} pass-through part processors called one after another inside
   * a single {@code map}, each {@code Flux.just} unwrapped at once: what the part processors themselves
   * cost, with no stage operator around them.
   */
  static Processor partProcessorsInMap(int stages) {
    PartProcessor[] steps = new PartProcessor[stages];
    for (int i = 0; i < stages; i++) {
      steps[i] = passThroughPart();
    }
    return in ->
        in.map(
            part -> {
              Part current = part;
              for (PartProcessor step : steps) {
                current = scalarValue(step.process(current));
              }
              return current;
            });
  }

  /**
   * Reference: the fused chain of {@link #partProcessorChain(int)} run by {@code concatMap}, whose
   * fast path takes a {@code Flux.just} result without subscribing to it, in place of the stage's
   * {@code flatMapSequential} and reserved-substream bypass.
   */
  static Processor fusedChainInConcatMap(int stages) {
    PartProcessor chain = passThroughPart();
    for (int i = 1; i < stages; i++) {
      chain = chain.then(passThroughPart());
    }
    PartProcessor fused = chain;
    return in -> in.concatMap(fused::process);
  }

  /** Floor for the parallel stage: {@code concatMap(p -> Flux.just(p, p, p, p))}. */
  static Processor reactorConcatMapFourCopies() {
    return in -> in.concatMap(p -> Flux.just(p, p, p, p));
  }

  /** {@code count} small text parts (references to 1024 distinct parts, so the input costs little memory). */
  static Part[] textParts(int count) {
    Part[] distinct = new Part[1024];
    for (int i = 0; i < distinct.length; i++) {
      distinct[i] = Part.text("part " + i);
    }
    Part[] parts = new Part[count];
    for (int i = 0; i < count; i++) {
      parts[i] = distinct[i & (distinct.length - 1)];
    }
    return parts;
  }

  private static Part scalarValue(Flux<Part> flux) {
    try {
      @SuppressWarnings("unchecked")
      Part value = ((Fuseable.ScalarCallable<Part>) flux).call();
      return value;
    } catch (Exception e) {
      throw new IllegalStateException("not a Flux.just", e);
    }
  }

  private static PartProcessor passThroughPart() {
    return part -> Flux.just(part);
  }

  private static Processor passThroughProcessor() {
    return in -> in.map(p -> p);
  }
}
