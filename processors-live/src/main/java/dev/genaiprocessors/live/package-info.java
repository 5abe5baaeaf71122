/**
 * Provider-neutral live machinery. {@link dev.genaiprocessors.live.LiveModelProcessor} makes any turn-based
 * model live over a {@link dev.genaiprocessors.live.RollingPrompt} with a
 * {@link dev.genaiprocessors.live.HistoryPolicy}; {@link dev.genaiprocessors.live.Window} runs a processor over
 * windows of a stream; {@link dev.genaiprocessors.live.LiveConversation} and
 * {@link dev.genaiprocessors.live.ConversationState} hold a conversation's state. The providers' clients live
 * in their own modules (processors-gemini, processors-openai); their errors share one root,
 * {@link dev.genaiprocessors.core.error.ModelException}.
 */
@NullMarked
package dev.genaiprocessors.live;

import org.jspecify.annotations.NullMarked;
