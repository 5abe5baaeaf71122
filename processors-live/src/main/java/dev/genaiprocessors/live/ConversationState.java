package dev.genaiprocessors.live;

/** Where a live conversation is, as {@link LiveModelProcessor} sees it. */
public enum ConversationState {
  /** Nobody is speaking and no answer is under way. */
  IDLE,
  /** The user is speaking. */
  LISTENING,
  /** The user's turn is over and the model is working on an answer that has not started yet. */
  PROCESSING,
  /** The model's answer is coming out. */
  SPEAKING,
  /**
   * The user spoke over the answer (or a new turn began), which was cut off. Passed through at once:
   * it is always followed by {@link #LISTENING} or {@link #IDLE}, and seen on the conversation's
   * states and as a status part, just before the {@code interrupted} part.
   */
  INTERRUPTED
}
