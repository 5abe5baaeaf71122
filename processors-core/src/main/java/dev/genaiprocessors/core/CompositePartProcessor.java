package dev.genaiprocessors.core;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * A part processor built from others by this library; it is given the running pipeline's
 * {@link ReservedExit}, so that reserved parts made inside it leave the pipeline as soon as they are
 * produced, skipping its later steps and not waiting for content parts before them.
 */
interface CompositePartProcessor extends PartProcessor {

  /**
   * The content outputs for one part; the reserved parts made inside go to {@code exit} as they are
   * produced (or stay in place, for an exit that diverts nothing).
   */
  Flux<Part> process(Part part, ReservedExit exit);

  /** Called directly, outside any stage: reserved parts stay in their place among the outputs. */
  @Override
  default Flux<Part> process(Part part) {
    return process(part, ReservedExit.inPlace(ReservedSubstreams.DEFAULT));
  }

  /** Calls {@code processor} on the part, with the exit when it is a composite. */
  static Flux<Part> call(PartProcessor processor, Part part, ReservedExit exit) {
    return call(processor, processor instanceof CompositePartProcessor c ? c : null, part, exit);
  }

  /**
   * Calls {@code processor} on the part; {@code composite} is the same processor when it is a composite,
   * decided once when a stage or composite is built rather than per part. A thrown exception or a null
   * result becomes an error signal.
   */
  static Flux<Part> call(
      PartProcessor processor,
      @Nullable CompositePartProcessor composite,
      Part part,
      ReservedExit exit) {
    try {
      Flux<Part> out = composite != null ? composite.process(part, exit) : processor.process(part);
      if (out == null) {
        return Flux.error(
            new NullPointerException(
                "PartProcessor " + processor.getClass().getName() + " returned null for " + part));
      }
      return out;
    } catch (RuntimeException e) {
      return Flux.error(e);
    }
  }
}
