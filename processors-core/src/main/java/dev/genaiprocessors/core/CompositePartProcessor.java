package dev.genaiprocessors.core;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * A part processor built from others by this library; it needs to know which substreams are
 * reserved for the running subscription, so that reserved parts made inside it skip its later steps.
 */
interface CompositePartProcessor extends PartProcessor {

  /** The outputs for one part, with these reserved substreams. */
  Flux<Part> process(Part part, ReservedSubstreams reserved);

  @Override
  default Flux<Part> process(Part part) {
    return process(part, ReservedSubstreams.DEFAULT);
  }

  /** Calls {@code processor} on the part, with the reserved substreams when it is a composite. */
  static Flux<Part> call(PartProcessor processor, Part part, ReservedSubstreams reserved) {
    return call(processor, processor instanceof CompositePartProcessor c ? c : null, part, reserved);
  }

  /**
   * Calls {@code processor} on the part; {@code composite} is the same processor when it is a composite,
   * decided once when a stage or composite is built rather than per part. A thrown exception or a null
   * result becomes an error signal.
   */
  static Flux<Part> call(
      PartProcessor processor, @Nullable CompositePartProcessor composite, Part part, ReservedSubstreams reserved) {
    try {
      Flux<Part> out = composite != null ? composite.process(part, reserved) : processor.process(part);
      if (out == null) {
        return Flux.error(new NullPointerException(
            "PartProcessor " + processor.getClass().getName() + " returned null for " + part));
      }
      return out;
    } catch (RuntimeException e) {
      return Flux.error(e);
    }
  }
}
