package dev.genaiprocessors.live.state;

import dev.genaiprocessors.live.ConversationState;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * An action that the {@link ConversationStateMachine}'s table does not allow in the current state. The
 * state is unchanged. The message names the state, the action and the actions that state allows.
 */
public final class InvalidTransitionException extends IllegalStateException {
  /** The version of the serialized form. */
  private static final long serialVersionUID = 1L;

  /** The state the action was refused in. */
  private final ConversationState state;

  /** The refused action. */
  private final ConversationAction action;

  /** The actions allowed in {@link #state}. */
  private final EnumSet<ConversationAction> allowed;

  InvalidTransitionException(
      ConversationState state, ConversationAction action, Set<ConversationAction> allowed) {
    super(
        "no transition from "
            + state
            + " by "
            + action
            + "; in "
            + state
            + " the allowed actions are "
            + allowed
            + " (add the transition to the table if it is meant to happen)");
    this.state = state;
    this.action = action;
    this.allowed = EnumSet.noneOf(ConversationAction.class);
    this.allowed.addAll(allowed);
  }

  /**
   * The state the action was refused in.
   *
   * @return the unchanged state
   */
  public ConversationState state() {
    return state;
  }

  /**
   * The refused action.
   *
   * @return the action
   */
  public ConversationAction action() {
    return action;
  }

  /**
   * The actions the table allows in {@link #state()}.
   *
   * @return the allowed actions, unmodifiable
   */
  public Set<ConversationAction> allowed() {
    return Collections.unmodifiableSet(allowed);
  }
}
