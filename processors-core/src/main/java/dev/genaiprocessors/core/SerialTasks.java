package dev.genaiprocessors.core;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Runs tasks one at a time, each on the thread that brings it when no other task runs or waits, else
 * after those on the thread already running them: a lock-free queue-drain, as in Reactor's own
 * operators. A processor whose state is changed by several threads (its input, its subscriber's
 * demand, a socket, a timer) gives every change to one {@code SerialTasks}, so the changes never race
 * and a change that finds it idle costs no hand-off to another thread.
 *
 * <p>Ordering: tasks run in the order they were given, per thread; tasks from different threads run
 * in the order they reached the queue. Concurrency: {@link #run} may be called from any thread, also
 * from inside a running task (the task then runs after the current one, on the same thread). Nothing
 * here blocks or parks.
 *
 * <p>Buffer: the queue of waiting tasks is unbounded as a queue; its owner bounds it by what it gives
 * (one input part requested at a time, one demand task, a few timers). Policy when full: none, by that
 * bound; an owner that cannot bound its tasks must not use this class.
 *
 * <p>Errors: a task that throws is reported to Reactor's {@code onErrorDropped} hook, and the tasks
 * after it still run. Stopping: tasks given or waiting once {@code skipWhen} answers true are dropped
 * without running.
 */
public final class SerialTasks {

  private final Queue<Runnable> tasks = Queues.<Runnable>unboundedMultiproducer().get();

  /** Tasks given and not yet done; the thread that raised it from 0 drains {@link #tasks}. */
  private final AtomicInteger wip = new AtomicInteger();

  private final BooleanSupplier skipWhen;

  /** Tasks that always run. */
  public SerialTasks() {
    this(() -> false);
  }

  /**
   * Tasks that are dropped once {@code skipWhen} answers true (when their owner is disposed, say).
   *
   * @param skipWhen read before each task; must be cheap, thread-safe and never block
   */
  public SerialTasks(BooleanSupplier skipWhen) {
    this.skipWhen = Objects.requireNonNull(skipWhen, "skipWhen");
  }

  /**
   * Runs the task now, on this thread, when no other task runs or waits; else queues it for the thread
   * that runs them.
   *
   * @param task the task; what it throws goes to {@code onErrorDropped}
   */
  public void run(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (skipWhen.getAsBoolean()) {
      return;
    }
    tasks.offer(task);
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      Runnable next;
      while ((next = tasks.poll()) != null) {
        if (skipWhen.getAsBoolean()) {
          continue;
        }
        try {
          next.run();
        } catch (RuntimeException | Error e) {
          Operators.onErrorDropped(e, Context.empty());
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }
}
