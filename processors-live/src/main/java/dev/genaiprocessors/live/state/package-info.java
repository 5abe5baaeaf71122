/**
 * The conversation state machine: the five {@link dev.genaiprocessors.live.ConversationState}s, the
 * {@link dev.genaiprocessors.live.state.ConversationAction}s that move between them, and one explicit
 * transition table ({@link dev.genaiprocessors.live.state.ConversationStateMachine}).
 * {@link dev.genaiprocessors.live.LiveModelProcessor} reports its states through it;
 * {@link dev.genaiprocessors.live.state.StateReportingLiveProcessor} does the same for any live provider,
 * from the parts of the {@link dev.genaiprocessors.live.LiveProcessor} contract.
 */
@NullMarked
package dev.genaiprocessors.live.state;

import org.jspecify.annotations.NullMarked;
