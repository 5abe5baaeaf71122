package dev.genaiprocessors.core;

import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * Part processors run side by side on each part, their outputs concatenated per part in the order the
 * processors are given ({@code Flux.mergeSequential}). Made by {@link PartProcessor#parallel}.
 *
 * <p>When every branch answers with {@code Flux.just} or {@code Flux.empty}, the result is built
 * without subscribing to any of them. Run in a stage, reserved parts a branch produces leave through
 * the pipeline's {@link ReservedExit} at once, without waiting for the branches before it.
 */
final class ParallelPartProcessor implements CompositePartProcessor {

  private final Passthrough passthrough;
  private final PartProcessor[] branches;

  /** {@code composites[i]} is {@code branches[i]} when it is a composite, else null: decided once. */
  private final CompositePartProcessor[] composites;

  ParallelPartProcessor(Passthrough passthrough, List<PartProcessor> branches) {
    this.passthrough = Objects.requireNonNull(passthrough, "passthrough");
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("parallel needs at least one part processor");
    }
    this.branches = branches.toArray(new PartProcessor[0]);
    this.composites = new CompositePartProcessor[this.branches.length];
    for (int i = 0; i < this.branches.length; i++) {
      composites[i] = this.branches[i] instanceof CompositePartProcessor c ? c : null;
    }
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
  public Flux<Part> process(Part part, ReservedExit exit) {
    int n = branches.length;
    // Scalar answers are collected in an array; a list of fluxes is only made once a branch needs
    // one.
    Part[] scalars = new Part[n + 1];
    int scalarCount = 0;
    @SuppressWarnings("unchecked")
    Flux<Part>[] outputs = null;
    int outputCount = 0;
    for (int i = 0; i < n; i++) {
      PartProcessor branch = branches[i];
      if (!branch.match(part)) {
        continue;
      }
      Flux<Part> out = CompositePartProcessor.call(branch, composites[i], part, exit);
      if (composites[i] == null) {
        out = exit.divertFrom(out);
      }
      Object value = outputs == null ? ScalarFlux.valueOf(out) : ScalarFlux.NOT_SCALAR;
      if (value == ScalarFlux.NOT_SCALAR) {
        if (outputs == null) {
          outputs = newArray(n);
          for (int j = 0; j < scalarCount; j++) {
            outputs[outputCount++] = Flux.just(scalars[j]);
          }
        }
        outputs[outputCount++] = out;
      } else if (value != ScalarFlux.EMPTY) {
        scalars[scalarCount++] = (Part) value;
      }
    }
    if (outputs == null) {
      if (passthrough == Passthrough.ALWAYS
          || (passthrough == Passthrough.FALLBACK && scalarCount == 0)) {
        scalars[scalarCount++] = part;
      }
      return scalarCount == 0
          ? Flux.empty()
          : scalarCount == 1
              ? Flux.just(scalars[0])
              : Flux.fromArray(
                  scalarCount == scalars.length
                      ? scalars
                      : java.util.Arrays.copyOf(scalars, scalarCount));
    }
    Flux<Part> merged =
        Flux.mergeSequential(java.util.Arrays.asList(outputs).subList(0, outputCount));
    switch (passthrough) {
      case FALLBACK:
        return merged.switchIfEmpty(Flux.just(part));
      case ALWAYS:
        return merged.concatWith(Flux.just(part));
      default:
        return merged;
    }
  }

  @SuppressWarnings("unchecked")
  private static Flux<Part>[] newArray(int n) {
    return (Flux<Part>[]) new Flux<?>[n];
  }

  @Override
  public String toString() {
    return "ParallelPartProcessor[" + passthrough + ", " + List.of(branches) + "]";
  }
}
