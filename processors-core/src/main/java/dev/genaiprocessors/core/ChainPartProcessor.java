package dev.genaiprocessors.core;

import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Part processors fused into one: every output of step {@code i} is given to step {@code i + 1} at
 * once, and each part's outputs come out depth-first in order. Made by {@link PartProcessor#then}.
 *
 * <p>A step is skipped, at no cost, for a part it does not match. Parts of reserved substreams made by
 * a step skip the later steps, and, run in a stage, leave through the pipeline's {@link ReservedExit}
 * as soon as the step produces them rather than in their depth-first place. Steps whose output is a
 * {@code Flux.just} or {@code Flux.empty} are followed without a subscription.
 */
final class ChainPartProcessor implements CompositePartProcessor {

  static final ChainPartProcessor PASSTHROUGH =
      new ChainPartProcessor(new PartProcessor[0], DEFAULT_CONCURRENCY);

  private final PartProcessor[] steps;

  /** {@code composites[i]} is {@code steps[i]} when it is a composite, else null: decided once, not per part. */
  private final CompositePartProcessor[] composites;

  private final int concurrency;

  private ChainPartProcessor(PartProcessor[] steps, int concurrency) {
    this.steps = steps;
    this.composites = new CompositePartProcessor[steps.length];
    for (int i = 0; i < steps.length; i++) {
      composites[i] = steps[i] instanceof CompositePartProcessor c ? c : null;
    }
    this.concurrency = concurrency;
  }

  /** Fuses the part processors, flattening chains and dropping pass-throughs. */
  static PartProcessor of(List<? extends PartProcessor> processors) {
    List<PartProcessor> flat = new ArrayList<>();
    for (PartProcessor p : processors) {
      if (p == null) {
        throw new NullPointerException("a chain step is null");
      }
      if (p instanceof ChainPartProcessor chain) {
        flat.addAll(List.of(chain.steps));
      } else {
        flat.add(p);
      }
    }
    if (flat.size() == 1) {
      return flat.get(0);
    }
    return flat.isEmpty()
        ? PASSTHROUGH
        : new ChainPartProcessor(flat.toArray(new PartProcessor[0]), DEFAULT_CONCURRENCY);
  }

  @Override
  public boolean match(Part part) {
    for (PartProcessor step : steps) {
      if (step.match(part)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Flux<Part> process(Part part, ReservedExit exit) {
    Object out = evaluate(part, 0, exit);
    return out instanceof Part p ? Flux.just(p) : asFlux(out);
  }

  /**
   * The outputs of steps {@code index...} for a part, the depth-first walk of its output tree: a
   * {@link Part} when there is exactly one and no step needed a subscription, {@link ScalarFlux#EMPTY}
   * when there is none, else a {@code Flux<Part>}. Returning the part itself spares a {@code Flux.just}
   * per part on the pass-through path. Reserved parts the steps produce go to {@code exit} at once
   * (or, for an exit that diverts nothing, stay in place and skip the later steps).
   */
  Object evaluate(Part part, int index, ReservedExit exit) {
    int i = index;
    Part current = part;
    while (true) {
      while (i < steps.length && !steps[i].match(current)) {
        i++;
      }
      if (i == steps.length) {
        return current;
      }
      Flux<Part> out;
      try {
        CompositePartProcessor composite = composites[i];
        out = composite != null ? composite.process(current, exit) : steps[i].process(current);
      } catch (RuntimeException e) {
        return Flux.error(e);
      }
      if (out == null) {
        return Flux.error(
            new NullPointerException(
                "PartProcessor "
                    + steps[i].getClass().getName()
                    + " returned null for "
                    + current));
      }
      i++;
      Object scalar = ScalarFlux.valueOf(out);
      if (scalar == ScalarFlux.EMPTY) {
        return ScalarFlux.EMPTY;
      }
      if (scalar == ScalarFlux.NOT_SCALAR) {
        // Reserved parts leave as the step produces them, ahead of the slower outputs before them.
        Flux<Part> content = composites[i - 1] != null ? out : exit.divertFrom(out);
        if (i == steps.length) {
          return content;
        }
        int next = i;
        return new OrderedFlatMap(
            content, o -> exit.isReserved(o) ? o : evaluate(o, next, exit), concurrency);
      }
      current = (Part) scalar;
      if (exit.isReserved(current)) {
        return exit.divert(current) ? ScalarFlux.EMPTY : current;
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Flux<Part> asFlux(Object evaluated) {
    if (evaluated instanceof Part p) {
      return Flux.just(p);
    }
    return evaluated == ScalarFlux.EMPTY ? Flux.empty() : (Flux<Part>) evaluated;
  }

  @Override
  public String toString() {
    return "ChainPartProcessor" + List.of(steps);
  }
}
