package dev.genaiprocessors.live.agents;

import dev.genaiprocessors.core.Part;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One piece of work handed to a {@link BackgroundAgent}: the conversation so far, and either the turn that
 * just completed or the function call the model made.
 *
 * @param conversationId the conversation the task belongs to; tasks of different conversations never share
 *     it
 * @param turnId the number of the last completed turn of the conversation (1 for the first), 0 before any
 * @param taskId the task's id, unique within its conversation
 * @param history the conversation so far, oldest first: text parts with role {@code user} or {@code model}
 *     (a bounded window, never audio)
 * @param functionCall the function call that started the task, or null for a task of a completed turn
 */
public record AgentTask(
    String conversationId,
    long turnId,
    String taskId,
    List<Part> history,
    @Nullable Part functionCall) {

  /** The type name of the JSON part {@link #toPart()} makes. */
  public static final String PART_TYPE = "live.agent_task";

  /**
   * Checks the task.
   *
   * @param conversationId the conversation's id
   * @param turnId the last completed turn's number
   * @param taskId the task's id
   * @param history the conversation so far, copied
   * @param functionCall the function call, or null
   * @throws IllegalArgumentException when {@code functionCall} is not a function-call part
   */
  public AgentTask {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(taskId, "taskId");
    history = List.copyOf(history);
    if (functionCall != null && !functionCall.isFunctionCall()) {
      throw new IllegalArgumentException(
          "an agent task's function call must be a function-call part, was "
              + functionCall.mimeType());
    }
  }

  /**
   * The name of the function that started the task.
   *
   * @return the function's name, or empty for a task of a completed turn
   */
  public Optional<String> toolName() {
    return functionCall == null
        ? Optional.empty()
        : Optional.of(functionCall.functionCall().name());
  }

  /**
   * The task's ids (and the function call's name and arguments) as a part, the first part an in-process
   * agent reads.
   *
   * @return a JSON part of type {@link #PART_TYPE} with {@code conversation_id}, {@code turn_id},
   *     {@code task_id} and, for a function call, {@code tool} ({@code name}, {@code args})
   */
  public Part toPart() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("conversation_id", conversationId);
    o.put("turn_id", turnId);
    o.put("task_id", taskId);
    if (functionCall != null) {
      ObjectNode tool = o.putObject("tool");
      tool.put("name", functionCall.functionCall().name());
      tool.set("args", functionCall.functionCall().args().deepCopy());
    }
    return Part.json(o, PART_TYPE);
  }
}
