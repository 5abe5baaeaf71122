package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.functions.Tool;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Answers the model's function calls of one conversation, never on the thread that delivered the call:
 * a tool of the config runs as {@link Tool#invoke} runs it (blocking tools on
 * {@code Schedulers.boundedElastic()}); any other call goes to the application's handler on the
 * handler scheduler. Each answer (the tool's last result, or its error) is given to {@code answers} as a
 * function-result part of the call's id. Calls run at once and may finish in any order, so a slow tool
 * never holds the audio back. {@link #dispose()} cancels the calls under way.
 */
final class ToolCalls {
  private static final Logger LOG = LoggerFactory.getLogger(ToolCalls.class);
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final Map<String, Tool> tools;
  private final @Nullable Function<RealtimeEvent.ToolCallRequest, ?> handler;
  private final Scheduler handlerScheduler;
  private final Consumer<Part> answers;
  private final Consumer<Throwable> errors;
  private final Disposable.Composite running = Disposables.composite();

  ToolCalls(
      List<Tool> tools,
      @Nullable Function<RealtimeEvent.ToolCallRequest, ?> handler,
      Scheduler handlerScheduler,
      Consumer<Part> answers,
      Consumer<Throwable> errors) {
    this.tools = tools.stream().collect(Collectors.toMap(Tool::name, t -> t, (a, b) -> a));
    this.handler = handler;
    this.handlerScheduler = handlerScheduler;
    this.answers = answers;
    this.errors = errors;
  }

  void call(RealtimeEvent.ToolCallRequest request) {
    String id = request.callId().isEmpty() ? null : request.callId();
    String name = request.functionName();
    Tool tool = tools.get(name);
    Mono<JsonNode> result;
    if (tool != null) {
      result = tool.invoke(request.arguments()).last(JsonNodeFactory.instance.nullNode());
    } else if (handler != null) {
      Function<RealtimeEvent.ToolCallRequest, ?> h = handler;
      result = Mono.fromCallable(() -> toJson(h.apply(request))).subscribeOn(handlerScheduler);
    } else {
      String message =
          "no tool named '" + name + "' in the config and no onToolCall handler to answer it";
      LOG.warn("The model called {}: {}", name, message);
      answers.accept(Part.functionError(id, name, message));
      return;
    }
    running.add(
        result.subscribe(
            json -> answers.accept(Part.functionResult(id, name, json)),
            error -> {
              LOG.warn("Function {} failed: {}", name, error.toString());
              if (tool == null) {
                errors.accept(error);
              }
              answers.accept(
                  Part.functionError(
                      id,
                      name,
                      String.valueOf(error.getMessage() == null ? error : error.getMessage())));
            }));
  }

  void dispose() {
    running.dispose();
  }

  private static JsonNode toJson(@Nullable Object value) {
    if (value == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    return MAPPER.valueToTree(value);
  }
}
