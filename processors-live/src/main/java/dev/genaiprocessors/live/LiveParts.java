package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The parts of the {@link LiveProcessor} contract that the core has no factory for: token usage and
 * session events. Every live provider emits these the same way, so a pipeline reads them with the helpers
 * here whatever the provider. Each is an empty text part with role {@code model} and one metadata key;
 * a provider may put its own raw payload on the same part under its own key.
 */
public final class LiveParts {
  /**
   * Metadata key of a usage part: a map with {@code input_tokens}, {@code output_tokens} and
   * {@code total_tokens} (integers; 0 when the provider did not say).
   */
  public static final String USAGE = "usage";

  /**
   * Metadata key of a session event part: the event's name, one of {@link SessionEvent}'s
   * {@link SessionEvent#wireName() wire names}.
   */
  public static final String SESSION_EVENT = "session_event";

  /**
   * Metadata key on every audio part a provider emits: the answer the audio belongs to (a string), so that a
   * {@link HeardAudio} can tell answers apart. OpenAI Realtime: the conversation item of the audio; Gemini
   * Live: {@code turn-N}, counting the model's turns of the subscription from 1.
   */
  public static final String ANSWER_ID = "answer_id";

  /**
   * Metadata key on an {@code interrupted} part, when the provider was given a {@link HeardAudio}: the whole
   * milliseconds of the cut answer's audio the user heard (a {@code Long}), on the player's clock at the
   * moment the provider emitted the part; 0 when no audio of it was played. Absent without a
   * {@link HeardAudio}, or when the interruption cut no audio answer.
   */
  public static final String HEARD_MS = "heard_ms";

  /**
   * Metadata key on the {@code interrupted} part and the model end-of-turn part a provider's client makes
   * itself when the session's connection or the session itself ends in the middle of an answer that will
   * never finish (a string saying why: each provider documents its values). A server's own interruption
   * (a barge-in, a cancelled answer) has no reason. One key for every provider, so one check serves all.
   */
  public static final String INTERRUPTION_REASON = "interruption_reason";

  private LiveParts() {}

  /** What happened to a live session, as the contract names it. */
  public enum SessionEvent {
    /**
     * The session is set up and takes input: the provider's setup completed on its first connection (Gemini's
     * first {@code setupComplete}, OpenAI's {@code session.updated} answering the first update).
     */
    STARTED,
    /**
     * The server will close this connection soon (Gemini's {@code goAway}); the provider moves the
     * conversation to a new connection by itself when it can.
     */
    GOING_AWAY,
    /** The conversation goes on over a new connection, after a drop or a {@link #GOING_AWAY}. */
    RESUMED,
    /** The server ended the session at its time limit (OpenAI's {@code session_expired}). */
    EXPIRED,
    /**
     * A new session was started, seeded with the conversation so far, because the old one expired and the
     * user opted in to continuation, or because it could not be resumed and the user wrapped the provider
     * in {@link dev.genaiprocessors.live.recovery.SessionRecovery}.
     */
    CONTINUED;

    /**
     * The name on the wire and in metadata, such as {@code going_away}.
     *
     * @return the lower-case name
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Token usage of a response or a turn.
   *
   * @param inputTokens tokens the model read
   * @param outputTokens tokens the model wrote
   * @param totalTokens all tokens counted, as the provider reports them
   */
  public record Usage(long inputTokens, long outputTokens, long totalTokens) {}

  /**
   * A usage part.
   *
   * @param usage the counts
   * @return an empty text part with role {@code model} and {@link #USAGE} metadata
   */
  public static Part usage(Usage usage) {
    Objects.requireNonNull(usage, "usage");
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("input_tokens", usage.inputTokens());
    counts.put("output_tokens", usage.outputTokens());
    counts.put("total_tokens", usage.totalTokens());
    return Part.text("").withRole("model").withMetadata(USAGE, counts);
  }

  /**
   * Marks a provider's own part as a usage part too.
   *
   * @param part the provider's part
   * @param usage the counts
   * @return the part with {@link #USAGE} metadata added
   */
  public static Part withUsage(Part part, Usage usage) {
    return part.withMetadata(USAGE, usage(usage).metadata(USAGE));
  }

  /**
   * True for a usage part.
   *
   * @param part any part
   * @return whether it carries {@link #USAGE}
   */
  public static boolean isUsage(Part part) {
    return part.metadata(USAGE) instanceof Map<?, ?>;
  }

  /**
   * The counts of a usage part.
   *
   * @param part any part
   * @return the counts, or empty when the part is not a usage part
   */
  public static Optional<Usage> usageOf(Part part) {
    if (!(part.metadata(USAGE) instanceof Map<?, ?> counts)) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(
            count(counts.get("input_tokens")),
            count(counts.get("output_tokens")),
            count(counts.get("total_tokens"))));
  }

  /**
   * A session event part.
   *
   * @param event what happened
   * @return an empty text part with role {@code model} and {@link #SESSION_EVENT} metadata
   */
  public static Part sessionEvent(SessionEvent event) {
    return withSessionEvent(Part.text("").withRole("model"), event);
  }

  /**
   * Marks a provider's own part as a session event too.
   *
   * @param part the provider's part
   * @param event what happened
   * @return the part with {@link #SESSION_EVENT} metadata added
   */
  public static Part withSessionEvent(Part part, SessionEvent event) {
    return part.withMetadata(SESSION_EVENT, event.wireName());
  }

  /**
   * The session event of a part.
   *
   * @param part any part
   * @return the event, or empty when the part is not a session event
   */
  public static Optional<SessionEvent> sessionEventOf(Part part) {
    if (part.metadata(SESSION_EVENT) instanceof String name) {
      for (SessionEvent e : SessionEvent.values()) {
        if (e.wireName().equals(name)) {
          return Optional.of(e);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The milliseconds heard of the answer an {@code interrupted} part cut.
   *
   * @param part any part
   * @return the milliseconds, or empty when the part carries no {@link #HEARD_MS}
   */
  public static java.util.OptionalLong heardMillisOf(Part part) {
    return part.metadata(HEARD_MS) instanceof Number n
        ? java.util.OptionalLong.of(n.longValue())
        : java.util.OptionalLong.empty();
  }

  private static long count(@Nullable Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }
}
