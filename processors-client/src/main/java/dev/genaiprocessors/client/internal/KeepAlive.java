package dev.genaiprocessors.client.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import reactor.core.scheduler.Scheduler;

/**
 * The keep-alive of one {@link WebSocketLink}, and its dead-peer detector: every period it pings the peer,
 * and when nothing at all arrived from the peer (no message, no pong) for {@value #DEAD_AFTER_PERIODS}
 * periods in a row it takes the peer for dead, {@linkplain WebSocketLink#abort() drops} the connection
 * (whose inbound side then ends without a close status) and tells the owner, which decides what that means
 * (reconnect, resume, or fail).
 *
 * <p><b>Time.</b> Each tick runs on the owner's {@link Timer} (a scheduler, or a session's worker), so
 * tests drive it with a virtual-time scheduler. Ticks are one-shot timers, each armed by the last; stopping
 * sets a flag and cancels nothing (cancelling a pending delayed task takes the executor's queue lock, which
 * must not happen on a non-blocking thread): a tick due after {@link #stop()} does nothing and arms no more.
 *
 * <p><b>Skipped ticks.</b> While a close was asked ({@link WebSocketLink#closeRequested()}) a tick neither
 * pings nor counts: the link is ending. While the owner reports that it stopped reading the socket itself
 * (a slow subscriber holding the reads), silence is the client's, not the peer's, and counts as heard.
 *
 * <p><b>Order.</b> A tick arms the next one before it pings, so a peer (or a test) that has seen the
 * ping knows the next tick is already due one period later on the owner's clock.
 *
 * <p><b>Threads.</b> {@link #start()}, {@link #stop()} and the ticks must be serialised by the owner (its
 * timer runs them on its worker, or under its lock); the link's heard flag is the only state the socket's
 * thread touches.
 */
public final class KeepAlive {

  /** Keep-alive periods in a row with nothing from the peer, pongs included, after which it is dead: {@value}. */
  public static final int DEAD_AFTER_PERIODS = 2;

  /** Where the ticks run: the owner's scheduler, or its worker. */
  @FunctionalInterface
  public interface Timer {
    /**
     * Runs the task once after the delay, on the owner's clock.
     *
     * @param task the tick
     * @param delayMillis the delay, in milliseconds of the owner's scheduler
     */
    void schedule(Runnable task, long delayMillis);

    /**
     * A timer on a scheduler (virtual time in tests).
     *
     * @param scheduler the scheduler
     * @return a timer scheduling each task on it
     */
    static Timer on(Scheduler scheduler) {
      Objects.requireNonNull(scheduler, "scheduler");
      return (task, delayMillis) -> scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private final WebSocketLink link;
  private final long periodMillis;
  private final Timer timer;
  private final BooleanSupplier readingPaused;
  private final Runnable onDead;
  private int silentPeriods;
  private volatile boolean stopped;
  private boolean dead;

  /**
   * A keep-alive, not started yet.
   *
   * @param link the connection to ping and to drop
   * @param period the time between pings; must be positive
   * @param timer where the ticks run
   * @param readingPaused true while the owner holds the socket's reads (silence then counts as heard)
   * @param onDead run once, on the timer, after the link was dropped for a dead peer
   * @throws IllegalArgumentException when the period is not positive
   */
  public KeepAlive(
      WebSocketLink link,
      Duration period,
      Timer timer,
      BooleanSupplier readingPaused,
      Runnable onDead) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "the keep-alive period must be positive, was " + period + " (zero turns keep-alive off)");
    }
    this.link = Objects.requireNonNull(link, "link");
    this.periodMillis = period.toMillis();
    this.timer = Objects.requireNonNull(timer, "timer");
    this.readingPaused = Objects.requireNonNull(readingPaused, "readingPaused");
    this.onDead = Objects.requireNonNull(onDead, "onDead");
  }

  /**
   * Arms the first tick, one period from now.
   *
   * @return this keep-alive
   */
  public KeepAlive start() {
    timer.schedule(this::tick, periodMillis);
    return this;
  }

  /** No more pings or verdicts; a tick already armed does nothing when it fires. Idempotent. */
  public void stop() {
    stopped = true;
  }

  /**
   * Whether the peer was taken for dead (and the link dropped).
   *
   * @return true after the verdict
   */
  public boolean peerDead() {
    return dead;
  }

  private void tick() {
    if (stopped) {
      return;
    }
    if (link.closeRequested()) {
      timer.schedule(this::tick, periodMillis);
      return;
    }
    if (link.takeHeard() || readingPaused.getAsBoolean()) {
      silentPeriods = 0;
    } else if (++silentPeriods >= DEAD_AFTER_PERIODS) {
      stopped = true;
      dead = true;
      link.abort();
      onDead.run();
      return;
    }
    // The next tick is armed before the ping goes out: whoever sees the ping knows the next one is
    // due.
    timer.schedule(this::tick, periodMillis);
    link.ping();
  }
}
