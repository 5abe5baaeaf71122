package dev.genaiprocessors.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * Part processors run side by side on each part, their outputs concatenated per part in the order the
 * processors are given ({@code Flux.mergeSequential}). Made by {@link PartProcessor#parallel}.
 *
 * <p>When every branch answers with {@code Flux.just} or {@code Flux.empty}, the result is built
 * without subscribing to any of them.
 */
final class ParallelPartProcessor implements CompositePartProcessor {

  private final Passthrough passthrough;
  private final PartProcessor[] branches;

  ParallelPartProcessor(Passthrough passthrough, List<PartProcessor> branches) {
    this.passthrough = Objects.requireNonNull(passthrough, "passthrough");
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("parallel needs at least one part processor");
    }
    this.branches = branches.toArray(new PartProcessor[0]);
  }

  /** With {@link Passthrough#NEVER} every part is taken, so that parts no branch matches are dropped. */
  @Override
  public boolean match(Part part) {
    if (passthrough == Passthrough.NEVER) {
      return true;
    }
    for (PartProcessor branch : branches) {
      if (branch.match(part)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Flux<Part> process(Part part, ReservedSubstreams reserved) {
    List<Flux<Part>> outputs = new ArrayList<>(branches.length);
    List<Part> scalars = new ArrayList<>(branches.length);
    boolean allScalar = true;
    for (PartProcessor branch : branches) {
      if (!branch.match(part)) {
        continue;
      }
      Flux<Part> out = CompositePartProcessor.call(branch, part, reserved);
      outputs.add(out);
      if (allScalar) {
        Object value = ScalarFlux.valueOf(out);
        if (value == ScalarFlux.NOT_SCALAR) {
          allScalar = false;
        } else if (value != ScalarFlux.EMPTY) {
          scalars.add((Part) value);
        }
      }
    }
    if (allScalar) {
      if (passthrough == Passthrough.ALWAYS || (passthrough == Passthrough.FALLBACK && scalars.isEmpty())) {
        scalars.add(part);
      }
      return scalars.isEmpty() ? Flux.empty()
          : scalars.size() == 1 ? Flux.just(scalars.get(0))
          : Flux.fromIterable(scalars);
    }
    Flux<Part> merged = Flux.mergeSequential(outputs);
    switch (passthrough) {
      case FALLBACK:
        return merged.switchIfEmpty(Flux.just(part));
      case ALWAYS:
        return merged.concatWith(Flux.just(part));
      default:
        return merged;
    }
  }

  @Override
  public String toString() {
    return "ParallelPartProcessor[" + passthrough + ", " + List.of(branches) + "]";
  }
}
