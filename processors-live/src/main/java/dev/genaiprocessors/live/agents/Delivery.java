package dev.genaiprocessors.live.agents;

import dev.genaiprocessors.core.Scheduling;

/**
 * How the result of a background task comes back into the conversation.
 *
 * <table>
 *   <caption>Delivery per provider</caption>
 *   <tr><th>delivery</th><th>OpenAI Realtime</th><th>Gemini Live (and other providers)</th></tr>
 *   <tr><td>{@link #SPEAK_WHEN_IDLE}</td><td>an out-of-band response ({@code conversation: "none"}) with the
 *       result and instructions as its input, sent once the assistant is idle</td><td>turn hand-off: a user
 *       text turn holding the result, sent once idle; function calling: a NON_BLOCKING function response
 *       with scheduling {@code WHEN_IDLE}</td></tr>
 *   <tr><td>{@link #SPEAK_NOW}</td><td>the answer in flight is cancelled ({@code response.cancel}), then the
 *       out-of-band response</td><td>the text turn sent at once (a {@code clientContent} interrupts the
 *       generation); function calling: scheduling {@code INTERRUPT}</td></tr>
 *   <tr><td>{@link #CONTEXT_ONLY}</td><td>a user item holding the result, with no response</td><td>a
 *       {@code clientContent} with {@code turnComplete: false}; function calling: scheduling
 *       {@code SILENT}</td></tr>
 * </table>
 *
 * <p><b>The Gemini difference.</b> Gemini Live has no out-of-band response: a spoken result enters the
 * conversation's context there (the result, and what the assistant said about it), where on OpenAI the spoken
 * report stays out of the conversation.
 */
public enum Delivery {
  /** Spoken once the assistant has finished what it is saying and the user is not speaking. */
  SPEAK_WHEN_IDLE(Scheduling.WHEN_IDLE),
  /** Spoken at once, cutting the assistant's answer in flight. */
  SPEAK_NOW(Scheduling.INTERRUPT),
  /** Only added to the conversation's context; the assistant can use it when asked. */
  CONTEXT_ONLY(Scheduling.SILENT);

  private final Scheduling scheduling;

  Delivery(Scheduling scheduling) {
    this.scheduling = scheduling;
  }

  /**
   * The function-response scheduling with the same meaning.
   *
   * @return {@code WHEN_IDLE}, {@code INTERRUPT} or {@code SILENT}
   */
  public Scheduling scheduling() {
    return scheduling;
  }
}
