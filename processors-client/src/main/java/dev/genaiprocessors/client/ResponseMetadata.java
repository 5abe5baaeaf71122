package dev.genaiprocessors.client;

import dev.genaiprocessors.core.Part;

/**
 * Metadata keys the model clients put on the parts they emit, and a helper to recognise the summary
 * part that ends every answer.
 *
 * <p><b>The summary part.</b> A turn-based client ends a complete answer with one empty text part of
 * role {@code model} whose metadata hold {@link #FINISH_REASON} and, when the provider reported them,
 * {@link #USAGE_METADATA}, {@link #MODEL_VERSION}, {@link #RESPONSE_ID} and {@link #PROMPT_FEEDBACK}.
 * Usage is only known once the answer is complete, and holding back the last content part until then
 * would delay it, so the summary is a part of its own. It carries no content: the clients never send
 * empty text back to a model, so it is harmless in a history.
 *
 * <pre>{@code
 * model.apply(prompt).filter(ResponseMetadata::isSummary)
 *     .subscribe(p -> log.info("usage {}", p.metadata(ResponseMetadata.USAGE_METADATA)));
 * }</pre>
 */
public final class ResponseMetadata {
  /** The provider's usage object as it sent it (Gemini {@code usageMetadata}, OpenAI {@code usage}), a map. */
  public static final String USAGE_METADATA = "usage_metadata";

  /** Why generation stopped, as the provider names it ({@code STOP}, {@code MAX_TOKENS}, {@code stop}, {@code tool_calls}...). */
  public static final String FINISH_REASON = "finish_reason";

  /** The model version that answered (Gemini {@code modelVersion}, OpenAI {@code model}). */
  public static final String MODEL_VERSION = "model_version";

  /** The provider's id of the response. */
  public static final String RESPONSE_ID = "response_id";

  /** Gemini's {@code promptFeedback} (for example a {@code blockReason}), a map. */
  public static final String PROMPT_FEEDBACK = "prompt_feedback";

  /** {@code true} on a text part that is the model's thinking rather than its answer. */
  public static final String THOUGHT = "thought";

  /**
   * Gemini's opaque {@code thoughtSignature} of a part, a string. Kept so that the part can be sent back
   * with it in the next turn, which Gemini requires for function calls of thinking models.
   */
  public static final String THOUGHT_SIGNATURE = "thought_signature";

  private ResponseMetadata() {}

  /**
   * True for the summary part that ends an answer: empty text with a {@link #FINISH_REASON} or {@link #USAGE_METADATA}.
   *
   * @param part any part
   * @return true when the part is the summary part of an answer
   */
  public static boolean isSummary(Part part) {
    return part.isText()
        && part.text().isEmpty()
        && (part.metadata(FINISH_REASON) != null || part.metadata(USAGE_METADATA) != null);
  }

  /**
   * True for a text part that is the model's thinking ({@link #THOUGHT}).
   *
   * @param part any part
   * @return true when the part carries the {@link #THOUGHT} flag
   */
  public static boolean isThought(Part part) {
    return part.hasFlag(THOUGHT);
  }
}
