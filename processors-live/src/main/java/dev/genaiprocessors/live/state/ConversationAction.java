package dev.genaiprocessors.live.state;

import java.util.Locale;
import java.util.Optional;

/**
 * What happens in a live conversation that may change its {@link dev.genaiprocessors.live.ConversationState}:
 * the actions of the {@link ConversationStateMachine}'s transition table.
 */
public enum ConversationAction {
  /** The user started speaking (a start-of-speech part). During an answer it is a barge-in. */
  USER_STARTED_SPEAKING,
  /** The user stopped speaking without ending the turn (an end-of-speech part that is not a trigger). */
  USER_STOPPED_SPEAKING,
  /** The user's turn is over and the model is asked for an answer. */
  USER_TURN_ENDED,
  /** The first part of the model's answer came out (audio, text or its transcription). */
  ANSWER_STARTED,
  /** The answer in flight was cut off (an {@code interrupted} part, or a new turn over it). */
  ANSWER_INTERRUPTED,
  /** The model's turn is over (an end-of-turn part with role {@code model}). */
  ANSWER_ENDED;

  /**
   * The name as tools and metadata spell it, such as {@code user_started_speaking}.
   *
   * @return the lower-case name
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The action of a wire name, in any case.
   *
   * @param name a name such as {@code answer_ended}
   * @return the action, or empty when no action has that name
   */
  public static Optional<ConversationAction> fromWireName(String name) {
    for (ConversationAction a : values()) {
      if (a.name().equalsIgnoreCase(name.strip())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
