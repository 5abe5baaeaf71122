package dev.genaiprocessors.core;

import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Runs a stage so that reserved-substream parts of its input skip it and reach its output as the
 * stage takes its input.
 *
 * <p>The stage is the only subscriber of its input: a filter in front of it moves reserved parts into
 * a side queue merged straight into the output. So a stage that subscribes to its input late (after
 * connecting somewhere, say) loses nothing, and reserved parts are moved exactly when the stage pulls,
 * as in the original library.
 *
 * <p><b>Buffering</b>: the side queue holds at most {@value #MAX_WAITING} reserved parts that the
 * subscriber has not yet asked for; past that the output fails with {@link PartBufferOverflowException}
 * (it fills only when the subscriber stops asking while the stage keeps reading). When the stage
 * completes, the side queue is drained and the output completes.
 */
final class ReservedBypass {

  /** The most reserved parts waiting for the subscriber, per stage. */
  static final int MAX_WAITING = 4096;

  private ReservedBypass() {}

  static Flux<Part> around(
      Flux<Part> input, ReservedSubstreams reserved, Function<Flux<Part>, Flux<Part>> stage) {
    return Flux.defer(() -> {
      Sinks.Many<Part> side = Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(MAX_WAITING).get());
      Sinks.One<Part> overflow = Sinks.one();
      Flux<Part> stageInput = input.filter(part -> {
        if (!reserved.test(part)) {
          return true;
        }
        if (side.tryEmitNext(part) == Sinks.EmitResult.FAIL_OVERFLOW) {
          overflow.tryEmitError(new PartBufferOverflowException(
              "more than " + MAX_WAITING + " reserved-substream parts (status, debug, ...) are waiting for the "
                  + "subscriber while a stage keeps reading its input; request from the output, or move "
                  + "these parts to a substream that is not reserved"));
        }
        return false;
      });
      Flux<Part> out = stage.apply(stageInput).doFinally(signal -> {
        // A racing emission from the filter can only come from a stage that ended early; wait it out.
        side.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        overflow.tryEmitEmpty();
      });
      return Flux.merge(side.asFlux(), out, overflow.asMono());
    });
  }
}
