package dev.genaiprocessors.live.agents;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.Processor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Does the work of a background task: reads an {@link AgentTask}, answers an {@link AgentResult}. Either any
 * {@link Processor} in this JVM ({@link #of(Processor)}, the default) or an HTTP endpoint (processors-server's
 * {@code HttpAgent}), which is how agent work spreads over machines.
 *
 * <p><b>Contract.</b> {@link #run} is called once per task, from any thread; it must not block. The Mono
 * answers one result or fails; {@link BackgroundAgents} applies the timeout and cancels the Mono when the
 * task times out or its conversation ends, so an agent need not time itself. An error, an empty Mono, a
 * timeout or a cancellation never ends the conversation: the assistant is told.
 */
@FunctionalInterface
public interface BackgroundAgent {

  /** The most output parts {@link #of(Processor)} reads from its processor for one task. */
  int MAX_OUTPUT_PARTS = 256;

  /**
   * Runs one task.
   *
   * @param task the task, with its conversation's history
   * @return its result, lazily: nothing runs before subscription
   */
  Mono<AgentResult> run(AgentTask task);

  /**
   * An in-process agent, timestamps read from {@link Schedulers#parallel()}.
   *
   * @param processor the agent's work; see {@link #of(Processor, Scheduler)}
   * @return the agent
   */
  static BackgroundAgent of(Processor processor) {
    return of(processor, Schedulers.parallel());
  }

  /**
   * An in-process agent: the processor reads the task's {@linkplain AgentTask#toPart() part}, then the
   * history, then the function call (if any), and its output becomes the result: every JSON part is an
   * action, the text of its text parts (default substream) joins into one {@code {"action":"answer",
   * "text":...}} action, other parts are ignored. The status is {@link AgentResult#COMPLETED}; an error of the
   * processor fails the task.
   *
   * @param processor the agent's work
   * @param clock where the result's timestamp is read
   * @return the agent
   * @throws IllegalStateException (in the Mono) past {@value #MAX_OUTPUT_PARTS} output parts
   */
  static BackgroundAgent of(Processor processor, Scheduler clock) {
    Objects.requireNonNull(processor, "processor");
    Objects.requireNonNull(clock, "clock");
    return task -> {
      List<Part> in = new ArrayList<>(task.history().size() + 2);
      in.add(task.toPart());
      in.addAll(task.history());
      if (task.functionCall() != null) {
        in.add(task.functionCall());
      }
      return processor
          .apply(Flux.fromIterable(in))
          .take(MAX_OUTPUT_PARTS + 1L)
          .collectList()
          .map(
              out -> {
                if (out.size() > MAX_OUTPUT_PARTS) {
                  throw new IllegalStateException(
                      "the agent's processor emitted more than "
                          + MAX_OUTPUT_PARTS
                          + " parts for task "
                          + task.taskId()
                          + "; answer with fewer, larger parts");
                }
                List<JsonNode> actions = new ArrayList<>();
                StringBuilder text = new StringBuilder();
                for (Part p : out) {
                  if (p.content() instanceof PartContent.Json j) {
                    actions.add(j.value());
                  } else if (p.isText() && p.substream().isEmpty() && !p.text().isEmpty()) {
                    text.append(p.text());
                  }
                }
                if (text.length() > 0) {
                  actions.add(
                      JsonNodeFactory.instance
                          .objectNode()
                          .put("action", "answer")
                          .put("text", text.toString()));
                }
                return new AgentResult(
                    AgentResult.COMPLETED,
                    actions,
                    Instant.ofEpochMilli(clock.now(java.util.concurrent.TimeUnit.MILLISECONDS)));
              });
    };
  }
}
