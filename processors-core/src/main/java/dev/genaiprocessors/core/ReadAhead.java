package dev.genaiprocessors.core;

import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Reads a stage's input ahead of the stage, so that reserved parts in it leave through the
 * {@link ReservedExit} at once however slowly the stage asks for parts (a {@code concatMap} asks for
 * one at a time), and even before the stage has subscribed.
 *
 * <p>It subscribes to the input when {@link #connect} is called, independently of the stage's demand.
 * Content parts wait for the stage in a queue of {@value #READ_AHEAD}. <b>Policy when full</b>:
 * reading stops (backpressure reaches the source) until the stage takes parts; a reserved part behind
 * {@value #READ_AHEAD} waiting content parts waits with them. Nothing is dropped and nothing fails.
 * Terminal signals reach the stage after the parts queued before them.
 *
 * <p>The stage may subscribe to its input once. Cancelling the stage's input, or {@link #dispose()},
 * cancels the read.
 */
final class ReadAhead extends BaseSubscriber<Part> {

  /** The most content parts read ahead of one stage: {@value}. */
  static final int READ_AHEAD = Queues.SMALL_BUFFER_SIZE;
  /** Taken parts are re-requested in batches of this many, as {@code limitRate} does. */
  private static final int REPLENISH = READ_AHEAD - (READ_AHEAD >> 2);

  private final ReservedExit exit;
  private final Context context;
  /** Content read ahead; bounded by the demand below, so an emission never overflows it. */
  private final Sinks.Many<Part> content =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(READ_AHEAD).get());
  /** Parts the stage took since the last request; touched only in the stage's serialized onNext. */
  private int taken;

  ReadAhead(ReservedExit exit, Context context) {
    this.exit = exit;
    this.context = context;
  }

  /** The stage's input: the content parts, in order. */
  Flux<Part> stageInput() {
    return content.asFlux()
        .doOnNext(part -> {
          if (++taken == REPLENISH) {
            taken = 0;
            request(REPLENISH);
          }
        })
        .doOnCancel(this::dispose);
  }

  /** Starts reading {@code input}. */
  void connect(Flux<Part> input) {
    input.subscribe(this);
  }

  @Override
  public Context currentContext() {
    return context;
  }

  @Override
  protected void hookOnSubscribe(Subscription subscription) {
    subscription.request(READ_AHEAD);
  }

  @Override
  protected void hookOnNext(Part part) {
    if (exit.divert(part)) {
      request(1);
    } else {
      // Fails only once the stage has cancelled its input, when this read is being cancelled too.
      content.tryEmitNext(part);
    }
  }

  @Override
  protected void hookOnComplete() {
    content.tryEmitComplete();
  }

  @Override
  protected void hookOnError(Throwable error) {
    content.tryEmitError(error);
  }
}
