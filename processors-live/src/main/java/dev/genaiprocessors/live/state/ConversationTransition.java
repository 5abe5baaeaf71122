package dev.genaiprocessors.live.state;

import dev.genaiprocessors.live.ConversationState;
import java.util.Map;
import java.util.Objects;

/**
 * One transition the {@link ConversationStateMachine} made: the state it left, the action that moved it,
 * the state it entered (the same state for a self-transition of the table), the action's metadata and
 * when it happened.
 *
 * @param from the state before the action
 * @param action the action
 * @param to the state after the action
 * @param metadata what the action carried (such as {@code source} or a tool's {@code reason}); unmodifiable
 * @param timeMillis when, in milliseconds of the machine's scheduler clock
 */
public record ConversationTransition(
    ConversationState from,
    ConversationAction action,
    ConversationState to,
    Map<String, Object> metadata,
    long timeMillis) {

  /**
   * Checks and copies the fields.
   *
   * @param from the state before the action
   * @param action the action
   * @param to the state after the action
   * @param metadata what the action carried; copied
   * @param timeMillis when, in milliseconds of the machine's scheduler clock
   */
  public ConversationTransition {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(to, "to");
    metadata = Map.copyOf(metadata);
  }

  /**
   * True when the state changed.
   *
   * @return whether {@code from} and {@code to} differ
   */
  public boolean changed() {
    return from != to;
  }
}
