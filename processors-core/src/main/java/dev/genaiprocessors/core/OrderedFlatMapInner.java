package dev.genaiprocessors.core;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * The subscriber to one part's result in an {@link OrderedFlatMap}, holding its outputs until its
 * turn. A result that can be read as a queue (Reactor's fusion: {@code Flux.fromArray},
 * {@code Flux.just(a, b)}, ...) is read in place, with no queue of its own; any other is asked for
 * {@value OrderedFlatMap#PREFETCH} parts ahead into a queue of that size, and for more as they are
 * emitted (policy when full: the result is backpressured; one that sends more than asked fails the
 * output with Reactor's overflow error).
 */
final class OrderedFlatMapInner implements CoreSubscriber<Part> {

  private static final AtomicReferenceFieldUpdater<OrderedFlatMapInner, Subscription> UPSTREAM =
      AtomicReferenceFieldUpdater.newUpdater(
          OrderedFlatMapInner.class, Subscription.class, "upstream");

  private static final int LIMIT = OrderedFlatMap.replenishLimit(OrderedFlatMap.PREFETCH);

  private final OrderedFlatMap.Main parent;

  /** The outputs waiting: the result itself when fused, else a queue of its own; null until subscribed. */
  private volatile @Nullable Queue<Part> queue;

  private volatile @Nullable Subscription upstream;

  /** The result has sent everything it will send. */
  volatile boolean done;

  private int sourceMode = Fuseable.NONE;

  /** Outputs emitted since the result was last asked for more; touched only in the parent's drain. */
  private int produced;

  OrderedFlatMapInner(OrderedFlatMap.Main parent) {
    this.parent = parent;
  }

  @Override
  public Context currentContext() {
    return parent.currentContext();
  }

  @Override
  public void onSubscribe(Subscription s) {
    if (!Operators.setOnce(UPSTREAM, this, s)) {
      return;
    }
    if (s instanceof Fuseable.QueueSubscription<?> qs) {
      @SuppressWarnings("unchecked")
      Fuseable.QueueSubscription<Part> fused = (Fuseable.QueueSubscription<Part>) qs;
      int mode = fused.requestFusion(Fuseable.ANY);
      if (mode == Fuseable.SYNC) {
        sourceMode = mode;
        queue = fused;
        done = true;
        parent.innerSignalled();
        return;
      }
      if (mode == Fuseable.ASYNC) {
        sourceMode = mode;
        queue = fused;
        s.request(OrderedFlatMap.PREFETCH);
        return;
      }
    }
    queue = Queues.<Part>get(OrderedFlatMap.PREFETCH).get();
    s.request(OrderedFlatMap.PREFETCH);
  }

  @Override
  public void onNext(Part part) {
    // In ASYNC fusion onNext only says that the queue has something.
    Queue<Part> q = queue;
    if (sourceMode != Fuseable.ASYNC && q != null && !q.offer(part)) {
      Operators.terminate(UPSTREAM, this);
      parent.fail(
          Operators.onOperatorError(
              Exceptions.failWithOverflow(Exceptions.BACKPRESSURE_ERROR_QUEUE_FULL),
              currentContext()));
      done = true;
    }
    parent.innerSignalled();
  }

  @Override
  public void onError(Throwable t) {
    parent.fail(t);
    done = true;
    parent.innerSignalled();
  }

  @Override
  public void onComplete() {
    done = true;
    parent.innerSignalled();
  }

  /** The next output, or null; called in the parent's drain. May throw for a fused result. */
  @Nullable Part poll() {
    Queue<Part> q = queue;
    return q == null ? null : q.poll();
  }

  /** Whether no output waits; called in the parent's drain. */
  boolean isEmpty() {
    Queue<Part> q = queue;
    return q == null || q.isEmpty();
  }

  /** One output went downstream: ask for more once a batch has gone. */
  void emitted() {
    if (sourceMode != Fuseable.SYNC && ++produced == LIMIT) {
      produced = 0;
      Subscription s = upstream;
      if (s != null) {
        s.request(LIMIT);
      }
    }
  }

  void cancel() {
    Operators.terminate(UPSTREAM, this);
    Queue<Part> q = queue;
    if (sourceMode != Fuseable.NONE && q != null) {
      q.clear();
    }
  }
}
