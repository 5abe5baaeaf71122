package dev.genaiprocessors.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A scheduler that records every delay it is asked for and runs the task at once on
 * {@code Schedulers.parallel()}: backoff waits are asserted exactly and cost no time.
 *
 * <p>A delay of {@link #DEADLINES_FROM} or more is a call's deadline (the clients' call timeout is
 * 10 minutes by default), not a backoff: it is scheduled for real on the delegate, and not recorded.
 */
public final class RecordingScheduler implements Scheduler {
  /** Delays at least this long are deadlines: waited for real, not recorded. */
  public static final Duration DEADLINES_FROM = Duration.ofMinutes(10);

  private final Scheduler delegate = Schedulers.parallel();
  private final List<Duration> delays = new CopyOnWriteArrayList<>();

  /** The delays asked for, in order. */
  public List<Duration> delays() {
    return List.copyOf(delays);
  }

  @Override
  public Disposable schedule(Runnable task) {
    return delegate.schedule(task);
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    if (unit.toNanos(delay) >= DEADLINES_FROM.toNanos()) {
      return delegate.schedule(task, delay, unit);
    }
    delays.add(Duration.ofNanos(unit.toNanos(delay)));
    return delegate.schedule(task);
  }

  @Override
  public Worker createWorker() {
    return delegate.createWorker();
  }
}
