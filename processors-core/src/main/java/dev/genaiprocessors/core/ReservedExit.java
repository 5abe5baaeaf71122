package dev.genaiprocessors.core;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Where the reserved-substream parts of one running pipeline leave it: the moment a stage reads one
 * from its input, or a step of a fused stage produces one, it is handed here and goes to the
 * pipeline's output, whatever the content parts around it are waiting for.
 *
 * <p>An exit made by {@link #inPlace} diverts nothing: reserved parts then stay in their place among
 * the content parts (a composite part processor called directly, outside any stage).
 *
 * <p><b>Concurrency</b>: {@link #divert} may be called from any thread at once (steps of different
 * parts run on different threads); the parts go to the pipeline's output operator (its
 * {@link Target}), which takes them from any thread and emits them ahead of the content parts that
 * wait. <b>Buffering</b>: at most {@value #MAX_WAITING} diverted parts may wait for the subscriber.
 * Policy when full: the output fails at once with {@link PartBufferOverflowException}; it fills only
 * when the subscriber stops requesting while the pipeline keeps producing reserved parts. Reserved
 * parts are never dropped silently.
 */
final class ReservedExit {

  /** The pipeline's output, where diverted parts go. */
  interface Target {
    /** A diverted part, to emit ahead of the content parts waiting; called from any thread. */
    void reserved(Part part);

    /** Too many diverted parts wait: fail the output with this error. */
    void reservedOverflow(Throwable error);
  }

  /** The most diverted parts waiting for the subscriber, per running pipeline. */
  static final int MAX_WAITING = 4096;

  private final ReservedSubstreams reserved;
  private final boolean diverts;

  /** Set when the pipeline's output is subscribed, before any stage runs. */
  private volatile @Nullable Target target;

  private final AtomicInteger waiting = new AtomicInteger();

  private ReservedExit(ReservedSubstreams reserved, boolean diverts) {
    this.reserved = reserved;
    this.diverts = diverts;
  }

  /** A new exit for one subscription of a pipeline; {@link #attach} its output before any stage runs. */
  static ReservedExit create(ReservedSubstreams reserved) {
    return new ReservedExit(reserved, true);
  }

  /** An exit that diverts nothing: reserved parts stay where they are produced. */
  static ReservedExit inPlace(ReservedSubstreams reserved) {
    return new ReservedExit(reserved, false);
  }

  /** Where diverted parts go from now on: the pipeline's output, subscribed. */
  void attach(Target output) {
    this.target = output;
  }

  /** The substreams this exit treats as reserved. */
  ReservedSubstreams reserved() {
    return reserved;
  }

  /** Whether this part is of a reserved substream. */
  boolean isReserved(Part part) {
    return reserved.test(part);
  }

  /**
   * Sends the part to the output now if it is reserved and this exit diverts.
   *
   * @return true when the part was taken (the caller must drop it), false when the caller keeps it
   */
  boolean divert(Part part) {
    if (!diverts || !reserved.test(part)) {
      return false;
    }
    Target t = Objects.requireNonNull(target, "attach the output before any stage runs");
    if (waiting.incrementAndGet() > MAX_WAITING) {
      t.reservedOverflow(
          new PartBufferOverflowException(
              "more than "
                  + MAX_WAITING
                  + " reserved-substream parts (status, debug, ...) are waiting for the "
                  + "subscriber while the pipeline keeps producing them; request from the output, or move "
                  + "these parts to a substream that is not reserved"));
      return true;
    }
    t.reserved(part);
    return true;
  }

  /** The output emitted one diverted part. */
  void emitted() {
    waiting.decrementAndGet();
  }

  /**
   * The content parts of {@code out}; its reserved parts leave through this exit as they are produced.
   * The value of a {@code Flux.just} is produced already, and is diverted now.
   */
  Flux<Part> divertFrom(Flux<Part> out) {
    if (!diverts) {
      return out;
    }
    Object scalar = ScalarFlux.valueOf(out);
    if (scalar == ScalarFlux.NOT_SCALAR) {
      return out.filter(part -> !divert(part));
    }
    return scalar instanceof Part part && divert(part) ? Flux.empty() : out;
  }

  /** {@link #divertFrom} for what {@code producer} made, unless it is a composite, which diverts by itself. */
  Flux<Part> divertFrom(Flux<Part> out, PartProcessor producer) {
    return producer instanceof CompositePartProcessor ? out : divertFrom(out);
  }
}
