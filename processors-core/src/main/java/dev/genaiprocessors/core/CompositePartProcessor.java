package dev.genaiprocessors.core;

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
    try {
      Flux<Part> out = processor instanceof CompositePartProcessor composite
          ? composite.process(part, reserved)
          : processor.process(part);
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
