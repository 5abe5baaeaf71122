package dev.genaiprocessors.live.agents;

/**
 * What one conversation holds right now, for metrics and for tests of flat memory: every count here is
 * bounded by the {@link BackgroundAgents} settings, however long the conversation runs.
 *
 * @param conversationId the conversation's id
 * @param completedTurns user→assistant turns completed so far (grows; a count, not a list)
 * @param tasksInFlight tasks running or waiting for their result to be spoken, at most
 *     {@link BackgroundAgents.Builder#maxTasksInFlight(int)}
 * @param deliveriesWaiting results waiting for the assistant to be idle, at most {@code tasksInFlight}
 * @param historyParts parts in the history window, at most {@link BackgroundAgents.Builder#historyParts(int)}
 * @param openToolCalls function calls of the application's own tools not answered yet, at most
 *     {@value AgentConversation#MAX_OPEN_TOOL_CALLS}
 * @param tasksStarted tasks started so far (grows; a count)
 * @param tasksFailed tasks that failed, timed out or were refused so far (grows; a count)
 */
public record ConversationStats(
    String conversationId,
    long completedTurns,
    int tasksInFlight,
    int deliveriesWaiting,
    int historyParts,
    int openToolCalls,
    long tasksStarted,
    long tasksFailed) {}
