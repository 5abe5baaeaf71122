package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * A conversation's history plus the prompt of the turn in progress, which a model can start reading
 * before the turn is over.
 *
 * <pre>{@code
 * RollingPrompt prompt = new RollingPrompt(HistoryPolicy.dropOlderThan(Duration.ofMinutes(10)), scheduler, 10_000);
 * Flux<Part> answer = model.apply(prompt.pending());   // reads the history, then every part added
 * prompt.add(Part.text("hello").withRole("user"));
 * prompt.finalizePending().subscribe();                // the model's prompt ends; history compressed
 * }</pre>
 *
 * <p><b>Pending prompt.</b> {@link #pending()} streams the history as it was when the pending prompt
 * began, then each part {@linkplain #add added} after, and completes at {@link #finalizePending()},
 * which then compresses the history with the {@link HistoryPolicy} and begins the next pending prompt,
 * seeded with the compressed history. Each pending prompt may be subscribed once.
 *
 * <p><b>Stash.</b> Parts that arrive while the model answers can be {@linkplain #stash stashed} and
 * {@linkplain #applyStash applied} after the answer, so they land after it in the history.
 *
 * <p><b>Buffering</b>: the history and the stash keep at most {@code maxParts} parts each, dropping the
 * oldest (a window, never a growing list); the pending prompt holds at most {@code maxParts} parts its
 * reader has not taken yet, and a part that finds it full is left out of the pending prompt (it stays
 * in the history), with a warning and a count ({@link #droppedFromPending()}).
 *
 * <p><b>Time</b>: {@link PartMetadata#CAPTURE_TIME} is set on added parts that lack it, in milliseconds of
 * the given scheduler's clock. <b>Threads</b>: every method is safe to call from any thread.
 */
public final class RollingPrompt {

  private static final Logger log = LoggerFactory.getLogger(RollingPrompt.class);

  private final HistoryPolicy policy;
  private final Scheduler clock;
  private final int maxParts;
  private final ArrayDeque<Part> history = new ArrayDeque<>();
  private final ArrayDeque<Part> stash = new ArrayDeque<>();

  /** Receives the parts added to the pending prompt. */
  private Sinks.Many<Part> live;

  /** The pending prompt: the (compressed) history, then {@link #live}. */
  private Flux<Part> pending;

  /** Parts appended to the history since the last finalize; they survive its compression. */
  private int addedSinceFinalize;

  private long droppedFromPending;

  /**
   * @param policy how the history is compressed at each {@link #finalizePending()}
   * @param clock the scheduler whose clock stamps capture times
   * @param maxParts the most parts kept in the history, the stash and the pending prompt, at least 1
   */
  public RollingPrompt(HistoryPolicy policy, Scheduler clock, int maxParts) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxParts < 1) {
      throw new IllegalArgumentException("maxParts must be at least 1, was " + maxParts);
    }
    this.maxParts = maxParts;
    this.live = newSink();
    this.pending = live.asFlux();
  }

  /**
   * Adds a part to the history and to the pending prompt, stamping its capture time if it has none.
   *
   * @param part the part to add; not null
   */
  public synchronized void add(Part part) {
    Objects.requireNonNull(part, "part");
    Part stamped =
        part.metadata(PartMetadata.CAPTURE_TIME) == null
            ? part.withMetadata(PartMetadata.CAPTURE_TIME, clock.now(TimeUnit.MILLISECONDS))
            : part;
    if (history.size() == maxParts) {
      history.removeFirst();
    }
    history.addLast(stamped);
    addedSinceFinalize++;
    if (live.tryEmitNext(stamped) == Sinks.EmitResult.FAIL_OVERFLOW) {
      droppedFromPending++;
      log.warn(
          "pending prompt full at {} unread parts; {} left out of it (it stays in the history)",
          maxParts,
          stamped);
    }
  }

  /**
   * Keeps a part aside until {@link #applyStash()}.
   *
   * @param part the part to keep aside; not null
   */
  public synchronized void stash(Part part) {
    Objects.requireNonNull(part, "part");
    if (stash.size() == maxParts) {
      stash.removeFirst();
      log.warn("stash full at {} parts; dropped the oldest", maxParts);
    }
    stash.addLast(part);
  }

  /** Adds the stashed parts, in the order they were stashed. */
  public synchronized void applyStash() {
    List<Part> parts = new ArrayList<>(stash);
    stash.clear();
    parts.forEach(this::add);
  }

  /**
   * How many parts are stashed.
   *
   * @return the number of stashed parts, 0 when none or after {@link #applyStash()}
   */
  public synchronized int stashed() {
    return stash.size();
  }

  /**
   * The pending prompt: the history when it began (compressed), then each part added, until
   * {@link #finalizePending()}. Subscribe once.
   *
   * @return the parts of the pending prompt in order; it completes at {@link #finalizePending()}
   */
  public synchronized Flux<Part> pending() {
    return pending;
  }

  /**
   * Ends the pending prompt, and begins the next one: the history compressed by the policy, then the
   * parts added from now on. The returned {@code Mono} completes when the history is compressed;
   * subscribe to it (the next pending prompt also waits for it). A failing policy keeps the history
   * as it was.
   *
   * @return a Mono that completes once the history is compressed; it never errors (a failing policy
   *     keeps the history)
   */
  public synchronized Mono<Void> finalizePending() {
    live.tryEmitComplete();
    List<Part> snapshot = List.copyOf(history);
    addedSinceFinalize = 0;
    Mono<List<Part>> compressed =
        Mono.defer(() -> policy.compress(snapshot, clock.now(TimeUnit.MILLISECONDS)))
            .defaultIfEmpty(snapshot)
            .onErrorResume(
                e -> {
                  log.warn("history policy failed; keeping the history as it was", e);
                  return Mono.just(snapshot);
                })
            .map(List::copyOf)
            .doOnNext(this::installHistory)
            .cache();
    live = newSink();
    pending = Flux.concat(compressed.flatMapIterable(parts -> parts), live.asFlux());
    return compressed.then();
  }

  private synchronized void installHistory(List<Part> compressed) {
    List<Part> all = new ArrayList<>(history);
    int keep = Math.min(addedSinceFinalize, all.size());
    List<Part> later = all.subList(all.size() - keep, all.size());
    history.clear();
    for (Part p : compressed) {
      history.addLast(p);
    }
    for (Part p : later) {
      history.addLast(p);
    }
    while (history.size() > maxParts) {
      history.removeFirst();
    }
  }

  /**
   * A copy of the history, oldest first.
   *
   * @return a new list of the parts in the history, oldest first; changing it does not change the prompt
   */
  public synchronized List<Part> history() {
    return List.copyOf(history);
  }

  /**
   * How many added parts found the pending prompt full and were left out of it.
   *
   * @return the number of added parts left out of a pending prompt because it was full, so far
   */
  public synchronized long droppedFromPending() {
    return droppedFromPending;
  }

  private Sinks.Many<Part> newSink() {
    return Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(maxParts).get());
  }
}
