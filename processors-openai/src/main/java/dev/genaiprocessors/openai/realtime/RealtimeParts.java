package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.core.Part;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata keys OpenAI Realtime puts on its parts beside the {@link dev.genaiprocessors.live.LiveProcessor}
 * contract, and its own parts. A pipeline that ignores them runs on every live provider. Out-of-band answers
 * are marked with the provider-neutral keys of {@link dev.genaiprocessors.live.OutOfBandRequest}.
 */
public final class RealtimeParts {

  /**
   * Metadata key: the conversation item an output part belongs to (a string), on audio, text and transcripts.
   * Audio parts also carry it as {@link dev.genaiprocessors.live.LiveParts#ANSWER_ID}.
   */
  public static final String ITEM_ID = "item_id";

  /** Metadata key: the response an output part belongs to (a string). */
  public static final String RESPONSE_ID = "response_id";

  /**
   * Metadata key: the final status of a response ({@code completed}, {@code cancelled}, {@code failed} or
   * {@code incomplete}), on the generation-complete part that {@code response.done} gives. Only {@code failed}
   * is a failure: on an out-of-band answer it comes with {@link dev.genaiprocessors.live.OutOfBandRequest#ERROR}.
   */
  public static final String RESPONSE_STATUS = "response_status";

  /**
   * Metadata key: why a response ended early ({@code turn_detected}, {@code client_cancelled},
   * {@code max_output_tokens}, {@code content_filter}), beside {@link #RESPONSE_STATUS} when the server said.
   */
  public static final String RESPONSE_STATUS_REASON = "response_status_reason";

  /**
   * Metadata key on the {@code interrupted} part and the model end-of-turn part the client makes itself when
   * a session ends in the middle of an answer of the conversation: {@value #EXPIRED_AND_CONTINUED} (the
   * session expired and a continuation took over; the answer's {@code response.done} will never come). A
   * server's own interruption (barge-in, a cancelled response) has no reason. The provider-neutral
   * {@link dev.genaiprocessors.live.LiveParts#INTERRUPTION_REASON} key, so one check serves every provider.
   */
  public static final String INTERRUPTION_REASON =
      dev.genaiprocessors.live.LiveParts.INTERRUPTION_REASON;

  /** The {@link #INTERRUPTION_REASON} of an answer cut by the session's expiry, continued in a new session. */
  public static final String EXPIRED_AND_CONTINUED = "session expired, continued in a new session";

  /**
   * Metadata key of a rate-limits part ({@code rate_limits.updated}): a list of maps, each with {@code name}
   * ({@code requests} or {@code tokens}), {@code limit}, {@code remaining} and {@code reset_seconds}, as the
   * server sent them. The part is an empty text part with role {@code model}.
   */
  public static final String RATE_LIMITS = "rate_limits";

  private RealtimeParts() {}

  /**
   * A rate-limits part, as the processor emits for {@code rate_limits.updated}.
   *
   * @param limits the limits, as described at {@link #RATE_LIMITS}
   * @return an empty text part with role {@code model} and {@link #RATE_LIMITS} metadata
   */
  public static Part rateLimits(List<Map<String, Object>> limits) {
    return Part.text("").withRole("model").withMetadata(RATE_LIMITS, List.copyOf(limits));
  }

  /**
   * The limits of a rate-limits part.
   *
   * @param part any part
   * @return the limits, or empty when the part is not a rate-limits part
   */
  @SuppressWarnings("unchecked")
  public static Optional<List<Map<String, Object>>> rateLimitsOf(Part part) {
    return part.metadata(RATE_LIMITS) instanceof List<?> list
        ? Optional.of((List<Map<String, Object>>) list)
        : Optional.empty();
  }
}
