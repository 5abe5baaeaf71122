package dev.genaiprocessors.gemini.live;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A parallel scheduler (non-blocking threads) that records every cancellation of a still-pending task, and
 * every disposal of a worker, made on a non-blocking thread: on a {@code ScheduledThreadPoolExecutor} both
 * take the queue's lock to remove the tasks, which BlockHound forbids there.
 */
final class RecordingScheduler implements Scheduler {
  private final Scheduler delegate = Schedulers.newParallel("recorded", 2);
  final Queue<String> lockingCancels = new ConcurrentLinkedQueue<>();
  final CountDownLatch workerDisposed = new CountDownLatch(1);

  private Disposable recorded(Disposable task) {
    return new Disposable() {
      @Override
      public void dispose() {
        if (!task.isDisposed() && Schedulers.isInNonBlockingThread()) {
          lockingCancels.add("a pending task cancelled on " + Thread.currentThread().getName());
        }
        task.dispose();
      }

      @Override
      public boolean isDisposed() {
        return task.isDisposed();
      }
    };
  }

  @Override
  public Disposable schedule(Runnable task) {
    return recorded(delegate.schedule(task));
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    return recorded(delegate.schedule(task, delay, unit));
  }

  @Override
  public Disposable schedulePeriodically(
      Runnable task, long initialDelay, long period, TimeUnit unit) {
    return recorded(delegate.schedulePeriodically(task, initialDelay, period, unit));
  }

  @Override
  public long now(TimeUnit unit) {
    return delegate.now(unit);
  }

  @Override
  public Worker createWorker() {
    Worker w = delegate.createWorker();
    return new Worker() {
      @Override
      public Disposable schedule(Runnable task) {
        return recorded(w.schedule(task));
      }

      @Override
      public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return recorded(w.schedule(task, delay, unit));
      }

      @Override
      public Disposable schedulePeriodically(
          Runnable task, long initialDelay, long period, TimeUnit unit) {
        return recorded(w.schedulePeriodically(task, initialDelay, period, unit));
      }

      @Override
      public void dispose() {
        if (Schedulers.isInNonBlockingThread()) {
          lockingCancels.add("a worker disposed on " + Thread.currentThread().getName());
        }
        w.dispose();
        workerDisposed.countDown();
      }

      @Override
      public boolean isDisposed() {
        return w.isDisposed();
      }
    };
  }

  @Override
  public void dispose() {
    delegate.dispose();
  }

  @Override
  public void init() {
    delegate.init();
  }
}
