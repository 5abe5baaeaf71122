package dev.genaiprocessors.live.recovery;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.error.ModelConnectionException;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Any live provider, with recovery when its session cannot be resumed: the conversation goes on in a new
 * session, seeded with the {@link TurnLog} of the turns completed so far, and the user is told.
 *
 * <pre>{@code
 * LiveProcessor live = SessionRecovery.builder(gemini).maxRecoveries(3).build();
 * live.apply(microphone).subscribe(part -> {
 *   if (LiveParts.sessionEventOf(part).orElse(null) == LiveParts.SessionEvent.CONTINUED) ui.say("Reconnected.");
 * });
 * }</pre>
 *
 * <p><b>When.</b> Providers resume what they can by themselves (Gemini Live with its resumption handles,
 * OpenAI Realtime with its opt-in continuation of an expired session). When they cannot, their output fails
 * with a {@link ModelConnectionException} (a resumption refused, a connection that could not be made again,
 * an expired session with no continuation). Such an error, or any other matched by
 * {@link Builder#recoverable(Predicate)}, starts a new session, at most {@link Builder#maxRecoveries(int)}
 * times (default 3) per conversation; past that, or for any other error, the output fails with the error.
 *
 * <p><b>What the new session gets.</b> The seed parts made by {@link Builder#seed(Function)} from the log's
 * turns, then the input where the old session left it: input sent while the new session starts waits (the
 * input is read once, through a Reactor {@code publish}, whose buffer of 256 parts holds it; past that the
 * input is not read until the new session takes it). The default seed is one user text part holding the
 * turns as {@code "user: ..."} and {@code "model: ..."} lines after a sentence saying the conversation was
 * restarted, with {@code turn_complete=false}: Gemini Live takes it as context without answering; OpenAI
 * Realtime answers every user message, so there the model answers it once (give your own seed to change
 * that). No seed is sent when the log is empty. Audio and function calls in flight at the failure are lost.
 *
 * <p><b>The user is told.</b> The first part of the new session's output is a
 * {@link LiveParts#sessionEvent session event} {@code CONTINUED}, with metadata {@value #RECOVERED_TURNS}
 * (how many turns seeded it) and {@value #RECOVERY_CAUSE} (the simple class name of the error). The parts
 * the old session emitted before failing stay emitted. Each recovery is logged at WARN.
 *
 * <p><b>The log</b> is made per conversation by {@link Builder#turnLog(Supplier)} and bounded by its budget
 * (see {@link TurnLog}); it reads the input and output of every session of the conversation.
 * <b>Cancellation</b> cancels the session under way and the input. An instance is immutable and may be
 * shared; each subscription is one conversation.
 */
public final class SessionRecovery implements LiveProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRecovery.class);

  /** Metadata key on the {@code CONTINUED} part: how many turns seeded the new session: {@value}. */
  public static final String RECOVERED_TURNS = "recovered_turns";

  /** Metadata key on the {@code CONTINUED} part: the simple class name of the error: {@value}. */
  public static final String RECOVERY_CAUSE = "recovery_cause";

  /** The sentence the default seed starts with: {@value}. */
  public static final String SEED_PREAMBLE =
      "The conversation below was interrupted by a lost connection and continues now."
          + " It is context only: do not answer it; wait for the user.";

  private final LiveProcessor live;
  private final Supplier<TurnLog> turnLogs;
  private final int maxRecoveries;
  private final Predicate<Throwable> recoverable;
  private final Function<List<TurnLog.Turn>, List<Part>> seed;

  private SessionRecovery(Builder b) {
    this.live = b.live;
    this.turnLogs = b.turnLogs;
    this.maxRecoveries = b.maxRecoveries;
    this.recoverable = b.recoverable;
    this.seed = b.seed;
  }

  /**
   * A builder around a provider: the default log ({@link TurnLog#builder()}), 3 recoveries, recoverable
   * errors {@link ModelConnectionException}, the default seed.
   *
   * @param live the provider; each subscription to it is one session
   * @return a builder
   */
  public static Builder builder(LiveProcessor live) {
    return new Builder(Objects.requireNonNull(live, "live"));
  }

  /**
   * The default seed: nothing for no turns, else one user text part with {@link #SEED_PREAMBLE} and a line
   * per turn, marked {@code turn_complete=false}.
   *
   * @param turns the logged turns, oldest first
   * @return the seed parts
   */
  public static List<Part> defaultSeed(List<TurnLog.Turn> turns) {
    if (turns.isEmpty()) {
      return List.of();
    }
    StringBuilder text = new StringBuilder(SEED_PREAMBLE);
    for (TurnLog.Turn t : turns) {
      text.append('\n').append(t.role()).append(": ").append(t.text());
    }
    return List.of(
        Part.text(text.toString())
            .withRole("user")
            .withMetadata(PartMetadata.TURN_COMPLETE, false));
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Objects.requireNonNull(input, "input");
    return Flux.defer(
        () -> {
          TurnLog log = Objects.requireNonNull(turnLogs.get(), "the turn log supplier gave null");
          // Read once for every session of the conversation; buffers Reactor's 256 parts between
          // them.
          Flux<Part> shared = input.doOnNext(log::observeInput).publish().autoConnect(1);
          return session(shared, log, 0, shared);
        });
  }

  private Flux<Part> session(Flux<Part> shared, TurnLog log, int recoveries, Flux<Part> in) {
    return live.apply(in)
        .doOnNext(log::observeOutput)
        .onErrorResume(
            error -> {
              if (recoveries >= maxRecoveries || !recoverable.test(error)) {
                return Flux.error(error);
              }
              return Flux.defer(() -> recover(shared, log, recoveries + 1, error));
            });
  }

  private Flux<Part> recover(Flux<Part> shared, TurnLog log, int recoveries, Throwable error) {
    List<TurnLog.Turn> turns = log.turns();
    List<Part> seedParts = new ArrayList<>(seed.apply(turns));
    LOG.warn(
        "{} live session could not be resumed ({}); continuing in a new session seeded with {} turns"
            + " (recovery {} of {})",
        live.provider(),
        error.getClass().getSimpleName(),
        turns.size(),
        recoveries,
        maxRecoveries);
    Part notice =
        LiveParts.sessionEvent(LiveParts.SessionEvent.CONTINUED)
            .withMetadata(RECOVERED_TURNS, turns.size())
            .withMetadata(RECOVERY_CAUSE, error.getClass().getSimpleName());
    Flux<Part> in = Flux.fromIterable(seedParts).concatWith(shared);
    return Flux.just(notice).concatWith(session(shared, log, recoveries, in));
  }

  @Override
  public String provider() {
    return live.provider();
  }

  @Override
  public int inputSampleRate() {
    return live.inputSampleRate();
  }

  @Override
  public int outputSampleRate() {
    return live.outputSampleRate();
  }

  @Override
  public String toString() {
    return "SessionRecovery[" + live.provider() + ", at most " + maxRecoveries + " recoveries]";
  }

  /** Configures a {@link SessionRecovery}; setters check their argument at once. */
  public static final class Builder {
    private final LiveProcessor live;
    private Supplier<TurnLog> turnLogs = () -> TurnLog.builder().build();
    private int maxRecoveries = 3;
    private Predicate<Throwable> recoverable = e -> e instanceof ModelConnectionException;
    private Function<List<TurnLog.Turn>, List<Part>> seed = SessionRecovery::defaultSeed;

    private Builder(LiveProcessor live) {
      this.live = live;
    }

    /**
     * Makes each conversation's log, with its budget; default {@code TurnLog.builder().build()}.
     *
     * @param turnLogs called once per conversation; must give a new log each time
     * @return this builder
     */
    public Builder turnLog(Supplier<TurnLog> turnLogs) {
      this.turnLogs = Objects.requireNonNull(turnLogs, "turnLogs");
      return this;
    }

    /**
     * The most new sessions per conversation; default 3.
     *
     * @param maxRecoveries zero or more
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder maxRecoveries(int maxRecoveries) {
      if (maxRecoveries < 0) {
        throw new IllegalArgumentException("maxRecoveries must be 0 or more, was " + maxRecoveries);
      }
      this.maxRecoveries = maxRecoveries;
      return this;
    }

    /**
     * Which errors start a new session; default {@link ModelConnectionException}.
     *
     * @param recoverable true for an error after which the conversation should go on in a new session
     * @return this builder
     */
    public Builder recoverable(Predicate<Throwable> recoverable) {
      this.recoverable = Objects.requireNonNull(recoverable, "recoverable");
      return this;
    }

    /**
     * Makes the parts a new session starts with, from the logged turns; default {@link #defaultSeed}.
     *
     * @param seed the logged turns, oldest first, to the parts to send first (in order)
     * @return this builder
     */
    public Builder seed(Function<List<TurnLog.Turn>, List<Part>> seed) {
      this.seed = Objects.requireNonNull(seed, "seed");
      return this;
    }

    /**
     * The wrapper.
     *
     * @return a new {@link SessionRecovery}
     */
    public SessionRecovery build() {
      return new SessionRecovery(this);
    }
  }
}
