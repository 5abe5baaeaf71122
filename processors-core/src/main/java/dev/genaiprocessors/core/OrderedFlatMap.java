package dev.genaiprocessors.core;

import java.util.Objects;
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
 * {@code flatMapSequential} with a fast path for results that are already there: the ordered,
 * concurrent operator under a part processor stage and inside a fused chain.
 *
 * <p>The step gives, for each input part, a {@link Part} (exactly one output, already made),
 * {@link ScalarFlux#EMPTY} (no output), or a {@code Flux<Part>}. A {@code Flux.just} or
 * {@code Flux.empty} is read at once, without subscribing. A result that is there already goes to the
 * subscriber directly when nothing before it is waiting and the subscriber has asked for it; else it
 * waits in the queue of parts in flight, as the part itself, with no wrapper. Neither case subscribes
 * to anything or allocates anything.
 *
 * <p><b>Ordering</b>: outputs in input order; each part's outputs in their own order; a part that
 * finishes early waits until every earlier part's outputs have been emitted. <b>Concurrency</b>: the
 * step is called on the thread that delivers each part, eagerly, for at most {@code maxConcurrency}
 * parts in flight (a part is in flight from the moment it is requested from upstream until its last
 * output has been emitted); upstream is asked for more as parts leave, in batches of three quarters of
 * {@code maxConcurrency}. <b>Buffering</b>: the queue of parts in flight holds at most
 * {@code maxConcurrency} entries, since no more are requested; each subscribed result is asked for
 * {@value #PREFETCH} parts ahead and buffered until its turn, then asked for more as they are emitted
 * (policy when full: the result is backpressured; a result that sends more than it was asked for
 * fails the output with Reactor's overflow error). <b>Errors</b>: the first error, from upstream, from
 * the step (thrown or a null result) or from any result, is delivered at once and cancels upstream
 * and every part in flight; later errors go to {@link Operators#onErrorDropped}. <b>Cancellation</b>:
 * cancels upstream and every subscribed result, and drops what waits.
 *
 * <p>As a pipeline's output, it also emits the reserved parts of the pipeline's {@link ReservedExit}:
 * each as soon as the subscriber has asked for it, ahead of the content parts waiting (they wait in
 * a multi-producer queue bounded by the exit's own count, {@value ReservedExit#MAX_WAITING}), and it
 * completes once upstream has completed and nothing waits. This takes the place of a {@code merge}
 * and its atomic operations per part.
 */
final class OrderedFlatMap extends Flux<Part> {

  /** What a step makes of one part: a {@link Part}, {@link ScalarFlux#EMPTY}, or a {@code Flux<Part>}. */
  @FunctionalInterface
  interface Step {
    /**
     * @param part an input part
     * @return the part's single output, {@link ScalarFlux#EMPTY}, or a {@code Flux<Part>} of its outputs;
     *     never null
     */
    Object apply(Part part);
  }

  /** Parts each subscribed result is asked for ahead of its turn: {@value}. */
  static final int PREFETCH = Queues.XS_BUFFER_SIZE;

  private final Flux<Part> source;
  private final Step step;
  private final int maxConcurrency;
  private final @Nullable ReservedExit exit;
  private final @Nullable Runnable onStart;

  OrderedFlatMap(Flux<Part> source, Step step, int maxConcurrency) {
    this(source, step, maxConcurrency, null, null);
  }

  /**
   * @param exit the pipeline's exit whose parts this operator emits too, or null
   * @param onStart run once upstream has been subscribed and asked for parts (to start reading ahead
   *     of the stages before), or null
   */
  OrderedFlatMap(
      Flux<Part> source,
      Step step,
      int maxConcurrency,
      @Nullable ReservedExit exit,
      @Nullable Runnable onStart) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "maxConcurrency must be at least 1, was " + maxConcurrency);
    }
    this.source = source;
    this.step = step;
    this.maxConcurrency = maxConcurrency;
    this.exit = exit;
    this.onStart = onStart;
  }

  @Override
  public void subscribe(CoreSubscriber<? super Part> actual) {
    Main main = new Main(actual, step, maxConcurrency, exit);
    if (exit != null) {
      exit.attach(main);
    }
    source.subscribe(main);
    if (onStart != null) {
      main.runHolding(onStart);
    }
  }

  /** Batch size for asking upstream again: three quarters of what may be asked for, as Reactor does. */
  static int replenishLimit(int max) {
    return max == Integer.MAX_VALUE ? Integer.MAX_VALUE : max - (max >> 2);
  }

  /**
   * The subscriber to upstream and the subscription given downstream.
   *
   * <p>Everything that emits, polls {@link #slots} or asks upstream for parts runs while holding
   * {@link #wip}, as in Reactor's drain loops. The thread holding it writes itself into
   * {@link #holder}; a part that upstream delivers on that thread, while it asks upstream for parts,
   * is handled without touching {@link #wip} at all. A synchronous upstream thus costs no atomic
   * operation per part: the reason the fast path keeps up with a plain {@code map}.
   */
  static final class Main implements CoreSubscriber<Part>, Subscription, ReservedExit.Target {

    private static final AtomicIntegerFieldUpdater<Main> WIP =
        AtomicIntegerFieldUpdater.newUpdater(Main.class, "wip");
    private static final AtomicLongFieldUpdater<Main> REQUESTED =
        AtomicLongFieldUpdater.newUpdater(Main.class, "requested");
    private static final AtomicReferenceFieldUpdater<Main, Throwable> ERROR =
        AtomicReferenceFieldUpdater.newUpdater(Main.class, Throwable.class, "error");

    private final CoreSubscriber<? super Part> actual;
    private final Step step;
    private final int maxConcurrency;
    private final int limit;

    /**
     * The parts in flight, in input order: a {@link Part} ready to go, {@link ScalarFlux#EMPTY} for a
     * part with no output whose slot is not yet given back, or an {@link OrderedFlatMapInner}. Offered only by the
     * upstream thread, polled only while holding {@link #wip}; never more than {@code maxConcurrency}
     * entries, as no more parts are requested (an offer cannot fail).
     */
    private final Queue<Object> slots;

    /** The exit whose parts this operator emits, or null. */
    private final @Nullable ReservedExit exit;

    /**
     * Reserved parts waiting to overtake, offered from any thread; bounded by the exit's count of
     * parts waiting ({@value ReservedExit#MAX_WAITING}; policy when full: the output fails).
     */
    private final @Nullable Queue<Part> reserved;

    private @Nullable Subscription upstream;
    private volatile int wip;
    private volatile long requested;
    private volatile boolean done;
    private volatile @Nullable Throwable error;

    /** Set on cancel and on delivering a terminal signal: nothing more goes downstream. */
    private volatile boolean cancelled;

    // Touched only by the thread holding wip (handed over through wip's atomic operations).

    /**
     * The thread holding {@link #wip}, or null. Deliberately not volatile: another thread reading it
     * may see a stale value, but never its own thread, which is all it compares with.
     */
    private @Nullable Thread holder;

    /** True while emitting, so that a part delivered from inside a subscriber's {@code onNext} waits. */
    private boolean emitting;

    /** Slots given back since upstream was last asked for parts. */
    private int freed;

    /** Parts emitted and not yet subtracted from {@link #requested}. */
    private long produced;

    /**
     * A subscribed result has finished and left: ask upstream at once rather than waiting for a batch,
     * so that slow parts keep {@code maxConcurrency} in flight.
     */
    private boolean resultLeft;

    private volatile boolean upstreamCancelled;

    Main(
        CoreSubscriber<? super Part> actual,
        Step step,
        int maxConcurrency,
        @Nullable ReservedExit exit) {
      this.actual = actual;
      this.step = step;
      this.maxConcurrency = maxConcurrency;
      this.limit = replenishLimit(maxConcurrency);
      this.slots = Queues.<Object>get(maxConcurrency).get();
      this.exit = exit;
      this.reserved = exit == null ? null : Queues.<Part>unboundedMultiproducer().get();
    }

    @Override
    public void reserved(Part part) {
      Queue<Part> q = reserved;
      if (q != null) {
        q.offer(part);
        innerSignalled();
      }
    }

    @Override
    public void reservedOverflow(Throwable error) {
      fail(error);
      innerSignalled();
    }

    /** Runs the task holding {@link #wip}, so that parts it makes upstream deliver take the fast path. */
    void runHolding(Runnable task) {
      if (WIP.getAndIncrement(this) == 0) {
        holder = Thread.currentThread();
        task.run();
        drainHeld(1);
      } else {
        task.run();
      }
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
      if (Operators.validate(upstream, s)) {
        upstream = s;
        actual.onSubscribe(this);
        long first = maxConcurrency == Integer.MAX_VALUE ? Long.MAX_VALUE : maxConcurrency;
        if (WIP.getAndIncrement(this) == 0) {
          holder = Thread.currentThread();
          s.request(first);
          drainHeld(1);
        } else {
          s.request(first);
        }
      }
    }

    @Override
    public void onNext(Part part) {
      if (done) {
        Operators.onNextDropped(part, actual.currentContext());
        return;
      }
      if (cancelled) {
        return;
      }
      Object result;
      try {
        result = step.apply(part);
      } catch (Throwable e) {
        cancelUpstream();
        onError(Operators.onOperatorError(e, actual.currentContext()));
        return;
      }
      if (result == null) {
        cancelUpstream();
        onError(new NullPointerException("the step returned null for " + part));
        return;
      }
      if (result instanceof Flux<?> flux) {
        @SuppressWarnings("unchecked")
        Flux<Part> outputs = (Flux<Part>) flux;
        Object value = ScalarFlux.valueOf(outputs);
        result = value == ScalarFlux.NOT_SCALAR ? outputs : value;
      }
      Thread current = Thread.currentThread();
      if (holder == current) {
        // Delivered inside this thread's own request upstream: wip is held already.
        onNextHeld(result);
        return;
      }
      if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
        holder = current;
        onNextHeld(result);
        drainHeld(1);
        return;
      }
      if (result instanceof Flux<?>) {
        subscribeInner(result);
      } else {
        slots.offer(result);
      }
      drain();
    }

    /** Handles one step result; called holding {@link #wip}. */
    private void onNextHeld(Object result) {
      if (result instanceof Flux<?>) {
        subscribeInner(result);
        if (!emitting) {
          emit();
        }
      } else if (emitting
          || cancelled
          || !slots.isEmpty()
          || (reserved != null && !reserved.isEmpty())) {
        slots.offer(result);
        if (!emitting) {
          emit();
        }
      } else if (result == ScalarFlux.EMPTY) {
        free();
      } else if (hasDemand()) {
        // The fast path: the result is there, nothing waits before it, the subscriber wants it.
        emitting = true;
        actual.onNext((Part) result);
        emitting = false;
        produced++;
        free();
        if (!slots.isEmpty()) {
          emit();
        }
      } else {
        slots.offer(result);
        return;
      }
      if (!emitting) {
        maybeRequestUpstream();
      }
    }

    private void subscribeInner(Object result) {
      @SuppressWarnings("unchecked")
      Flux<Part> outputs = (Flux<Part>) result;
      OrderedFlatMapInner inner = new OrderedFlatMapInner(this);
      slots.offer(inner);
      outputs.subscribe(inner);
    }

    @Override
    public void onError(Throwable t) {
      if (done) {
        Operators.onErrorDropped(t, actual.currentContext());
        return;
      }
      fail(t);
      done = true;
      drain();
    }

    @Override
    public void onComplete() {
      if (done) {
        return;
      }
      done = true;
      drain();
    }

    @Override
    public void request(long n) {
      if (Operators.validate(n)) {
        Operators.addCap(REQUESTED, this, n);
        drain();
      }
    }

    @Override
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        cancelUpstream();
        drain();
      }
    }

    /** Cancels upstream once (a cancel may come from several places: the subscriber, an error). */
    private void cancelUpstream() {
      Subscription s = upstream;
      if (!upstreamCancelled && s != null) {
        upstreamCancelled = true;
        s.cancel();
      }
    }

    /** Keeps the first error; later ones are dropped to the hook. */
    void fail(Throwable t) {
      if (!ERROR.compareAndSet(this, null, t)) {
        Operators.onErrorDropped(t, actual.currentContext());
      }
    }

    /** One part has left its slot; called holding {@link #wip}. */
    private void free() {
      if (limit != Integer.MAX_VALUE) {
        freed++;
      }
    }

    /**
     * Asks upstream for as many parts as have left, once a batch has left or a subscribed result has;
     * called holding {@link #wip}, never while emitting.
     *
     * @return whether upstream was asked
     */
    private boolean maybeRequestUpstream() {
      if (freed == 0 || cancelled || (freed < limit && !resultLeft)) {
        return false;
      }
      long n = freed;
      freed = 0;
      resultLeft = false;
      Subscription s = upstream;
      if (s != null) {
        s.request(n);
      }
      return true;
    }

    /** Whether the subscriber has asked for another part; called holding {@link #wip}. */
    private boolean hasDemand() {
      long r = requested;
      if (r == Long.MAX_VALUE) {
        produced = 0;
        return true;
      }
      if (produced < r) {
        return true;
      }
      if (produced == 0) {
        return false;
      }
      r = REQUESTED.addAndGet(this, -produced);
      produced = 0;
      return r > 0;
    }

    /**
     * A result has something new. On the thread holding {@link #wip} (a result that answers at once
     * when subscribed) it is emitted now, unless an emit loop up the stack will see it anyway.
     */
    void innerSignalled() {
      if (holder == Thread.currentThread()) {
        if (!emitting) {
          emit();
        }
      } else {
        drain();
      }
    }

    void drain() {
      if (WIP.getAndIncrement(this) == 0) {
        holder = Thread.currentThread();
        drainHeld(1);
      }
    }

    /** Emits what may be emitted, asks upstream for more, then lets go of {@link #wip}. */
    private void drainHeld(int missed) {
      for (; ; ) {
        if (cancelled) {
          clear();
        } else {
          emit();
          if (maybeRequestUpstream()) {
            continue;
          }
        }
        if (produced != 0) {
          if (requested != Long.MAX_VALUE) {
            REQUESTED.addAndGet(this, -produced);
          }
          produced = 0;
        }
        holder = null;
        missed = WIP.addAndGet(this, -missed);
        if (missed == 0) {
          return;
        }
        holder = Thread.currentThread();
      }
    }

    /** Emits in order what may be emitted; called holding {@link #wip}. */
    private void emit() {
      emitting = true;
      for (; ; ) {
        if (cancelled) {
          clear();
          break;
        }
        Throwable err = error;
        if (err != null) {
          terminateWithError(err);
          break;
        }
        Queue<Part> q = reserved;
        if (q != null && !q.isEmpty()) {
          if (!hasDemand()) {
            break;
          }
          Part overtaking = q.poll();
          if (overtaking != null) {
            actual.onNext(overtaking);
            produced++;
            Objects.requireNonNull(exit).emitted();
          }
          continue;
        }
        boolean d = done;
        Object head = slots.peek();
        if (head == null) {
          if (d && (q == null || q.isEmpty())) {
            cancelled = true;
            actual.onComplete();
          }
          break;
        }
        if (head == ScalarFlux.EMPTY) {
          slots.poll();
          free();
          continue;
        }
        if (head instanceof Part part) {
          if (!hasDemand()) {
            break;
          }
          slots.poll();
          actual.onNext(part);
          produced++;
          free();
          continue;
        }
        OrderedFlatMapInner inner = (OrderedFlatMapInner) head;
        boolean finished = false;
        while (!cancelled && error == null) {
          boolean innerDone = inner.done;
          if (!hasDemand()) {
            finished = innerDone && inner.isEmpty();
            break;
          }
          Part part;
          try {
            part = inner.poll();
          } catch (Throwable e) {
            inner.cancel();
            fail(Operators.onOperatorError(e, actual.currentContext()));
            break;
          }
          if (part == null) {
            finished = innerDone;
            break;
          }
          actual.onNext(part);
          produced++;
          inner.emitted();
        }
        if (cancelled || error != null) {
          continue;
        }
        if (!finished) {
          break;
        }
        slots.poll();
        free();
        resultLeft = true;
      }
      emitting = false;
    }

    private void terminateWithError(Throwable err) {
      cancelled = true;
      cancelUpstream();
      clear();
      actual.onError(err);
    }

    /** Drops what waits and cancels the subscribed results; called holding {@link #wip}. */
    private void clear() {
      Object o;
      while ((o = slots.poll()) != null) {
        if (o instanceof OrderedFlatMapInner inner) {
          inner.cancel();
        }
      }
    }
  }
}
