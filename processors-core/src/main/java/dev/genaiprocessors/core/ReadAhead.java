package dev.genaiprocessors.core;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Reads a stage's input ahead of the stage, so that reserved parts in it leave through the
 * {@link ReservedExit} at once however slowly the stage asks for parts (a {@code concatMap} asks for
 * one at a time), and even before the stage has subscribed.
 *
 * <p>It subscribes to the input when {@link #connect} is called, independently of the stage's demand,
 * and asks for {@value #READ_AHEAD} parts. Content parts wait for the stage in a queue of that size.
 * <b>Policy when full</b>: reading stops (backpressure reaches the source) until the stage takes parts;
 * a reserved part behind {@value #READ_AHEAD} waiting content parts waits with them. Nothing is
 * dropped and nothing fails. Completion reaches the stage after the queued parts; an error reaches it
 * at once (the queued parts are dropped, as the error cancels the pipeline anyway).
 *
 * <p>No Reactor operator reads ahead of a subscriber that has not subscribed yet ({@code publishOn}
 * and {@code limitRate} ask for parts only once subscribed; {@code publish} drops a terminal signal
 * that comes before its subscriber), hence this small queue-drain loop. When the stage has asked for
 * parts and none are queued, a part goes to it directly, without the queue.
 *
 * <p>The stage may subscribe to its input once (a second subscriber gets an
 * {@link IllegalStateException}). Cancelling the stage's input, or {@link #dispose()}, cancels the read.
 */
final class ReadAhead implements CoreSubscriber<Part> {

  /** The most content parts read ahead of one stage: {@value}. */
  static final int READ_AHEAD = Queues.SMALL_BUFFER_SIZE;

  /** Taken parts are asked for again in batches of this many, as {@code limitRate} does. */
  private static final int REPLENISH = READ_AHEAD - (READ_AHEAD >> 2);

  private static final AtomicReferenceFieldUpdater<ReadAhead, Subscription> UPSTREAM =
      AtomicReferenceFieldUpdater.newUpdater(ReadAhead.class, Subscription.class, "upstream");
  private static final AtomicIntegerFieldUpdater<ReadAhead> WIP =
      AtomicIntegerFieldUpdater.newUpdater(ReadAhead.class, "wip");
  private static final AtomicLongFieldUpdater<ReadAhead> REQUESTED =
      AtomicLongFieldUpdater.newUpdater(ReadAhead.class, "requested");
  private static final AtomicIntegerFieldUpdater<ReadAhead> SUBSCRIBED =
      AtomicIntegerFieldUpdater.newUpdater(ReadAhead.class, "subscribed");

  private final ReservedExit exit;
  private final Context context;

  /** Content read ahead; the demand upstream never exceeds its free room, so an offer never fails. */
  private final Queue<Part> queue = Queues.<Part>get(READ_AHEAD).get();

  private volatile @Nullable Subscription upstream;
  private volatile @Nullable CoreSubscriber<? super Part> stage;
  private volatile int wip;
  private volatile long requested;
  private volatile int subscribed;
  private volatile boolean done;
  private @Nullable Throwable error;
  private volatile boolean cancelled;

  /** Parts the stage took since the last request upstream; touched only inside the drain. */
  private int taken;

  ReadAhead(ReservedExit exit, Context context) {
    this.exit = exit;
    this.context = context;
  }

  /** The stage's input: the content parts, in order. */
  Flux<Part> stageInput() {
    return new Flux<>() {
      @Override
      public void subscribe(CoreSubscriber<? super Part> actual) {
        attach(actual);
      }
    };
  }

  /** Starts reading {@code input}. */
  void connect(Flux<Part> input) {
    input.subscribe(this);
  }

  /** Cancels the read. */
  void dispose() {
    cancelled = true;
    Operators.terminate(UPSTREAM, this);
    if (WIP.getAndIncrement(this) == 0) {
      queue.clear();
    }
  }

  @Override
  public Context currentContext() {
    return context;
  }

  // ---------------------------------------------------------------- upstream

  @Override
  public void onSubscribe(Subscription s) {
    if (Operators.setOnce(UPSTREAM, this, s)) {
      s.request(READ_AHEAD);
    }
  }

  @Override
  public void onNext(Part part) {
    if (done || cancelled) {
      return;
    }
    if (exit.divert(part)) {
      Subscription s = upstream;
      if (s != null) {
        s.request(1);
      }
      return;
    }
    // Fast path: the stage is waiting and nothing is queued.
    if (WIP.get(this) == 0 && WIP.compareAndSet(this, 0, 1)) {
      CoreSubscriber<? super Part> actual = stage;
      if (actual != null && requested != 0 && queue.isEmpty()) {
        actual.onNext(part);
        if (requested != Long.MAX_VALUE) {
          REQUESTED.decrementAndGet(this);
        }
        took();
      } else {
        queue.offer(part);
      }
      if (WIP.decrementAndGet(this) == 0) {
        return;
      }
      drainLoop();
      return;
    }
    queue.offer(part);
    drain();
  }

  @Override
  public void onError(Throwable t) {
    if (done) {
      Operators.onErrorDropped(t, context);
      return;
    }
    error = t;
    done = true;
    drain();
  }

  @Override
  public void onComplete() {
    done = true;
    drain();
  }

  // ---------------------------------------------------------------- the stage

  private void attach(CoreSubscriber<? super Part> actual) {
    if (!SUBSCRIBED.compareAndSet(this, 0, 1)) {
      Operators.error(
          actual,
          new IllegalStateException(
              "a stage of a chain may subscribe to its input once; share it inside the stage if it needs more"));
      return;
    }
    actual.onSubscribe(
        new Subscription() {
          @Override
          public void request(long n) {
            if (Operators.validate(n)) {
              Operators.addCap(REQUESTED, ReadAhead.this, n);
              drain();
            }
          }

          @Override
          public void cancel() {
            dispose();
          }
        });
    stage = actual;
    drain();
  }

  private void took() {
    if (++taken == REPLENISH) {
      taken = 0;
      Subscription s = upstream;
      if (s != null) {
        s.request(REPLENISH);
      }
    }
  }

  private void drain() {
    if (WIP.getAndIncrement(this) != 0) {
      return;
    }
    drainLoop();
  }

  /** Delivers what the stage asked for; runs while this thread holds {@link #wip}. */
  private void drainLoop() {
    int missed = 1;
    for (; ; ) {
      if (cancelled) {
        queue.clear();
      } else {
        CoreSubscriber<? super Part> actual = stage;
        if (actual != null) {
          long r = requested;
          long e = 0;
          boolean terminated = false;
          while (true) {
            if (cancelled) {
              queue.clear();
              terminated = true;
              break;
            }
            boolean d = done;
            Throwable err = error;
            if (d && err != null) {
              queue.clear();
              cancelled = true;
              actual.onError(err);
              terminated = true;
              break;
            }
            if (e == r) {
              if (d && queue.isEmpty()) {
                cancelled = true;
                actual.onComplete();
                terminated = true;
              }
              break;
            }
            Part part = queue.poll();
            if (part == null) {
              if (d) {
                cancelled = true;
                actual.onComplete();
                terminated = true;
              }
              break;
            }
            actual.onNext(part);
            e++;
            took();
          }
          if (!terminated && e != 0 && r != Long.MAX_VALUE) {
            REQUESTED.addAndGet(this, -e);
          }
        }
      }
      missed = WIP.addAndGet(this, -missed);
      if (missed == 0) {
        return;
      }
    }
  }
}
