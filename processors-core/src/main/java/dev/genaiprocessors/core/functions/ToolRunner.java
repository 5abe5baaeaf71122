package dev.genaiprocessors.core.functions;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.Scheduling;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Finds the tool a function call names, runs it, and turns what happens into function-response parts. */
final class ToolRunner {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, Tool> tools = new LinkedHashMap<>();

  ToolRunner(List<Tool> tools) {
    for (Tool tool : tools) {
      if (this.tools.put(tool.name(), tool) != null) {
        throw new IllegalArgumentException("two tools are named '" + tool.name() + "'");
      }
    }
  }

  @Nullable Tool find(String name) {
    return tools.get(name);
  }

  /** The error response for a call of a function that is not declared. */
  Part unknown(PartContent.FunctionCall call, @Nullable String id) {
    return error(
        id,
        call.name(),
        "function '"
            + call.name()
            + "' is not available; the available functions are "
            + String.join(", ", tools.keySet()));
  }

  /**
   * Runs the call to completion and answers once: the result, an array of the results of a streaming
   * tool, or an error response when the tool fails. Never an error signal.
   */
  Flux<Part> runToCompletion(PartContent.FunctionCall call) {
    Tool tool = find(call.name());
    if (tool == null) {
      return Flux.just(unknown(call, call.id()));
    }
    Flux<JsonNode> results = tool.invoke(call.args());
    if (tool.isStreaming()) {
      return results
          .collectList()
          .map(
              list -> {
                ArrayNode array = NODES.arrayNode();
                list.forEach(array::add);
                return result(call.id(), call.name(), array, null, false);
              })
          .onErrorResume(e -> reactor.core.publisher.Mono.just(failed(call.id(), call.name(), e)))
          .flux();
    }
    return results
        .take(1)
        .map(r -> result(call.id(), call.name(), r, null, false))
        .onErrorResume(e -> Flux.just(failed(call.id(), call.name(), e)));
  }

  static Part result(
      @Nullable String id,
      String name,
      JsonNode value,
      @Nullable Scheduling scheduling,
      boolean willContinue) {
    ObjectNode response = NODES.objectNode();
    response.set("result", value);
    return Part.of(
            new PartContent.FunctionResponse(id, name, response, scheduling, willContinue, false))
        .withRole("user");
  }

  static Part error(@Nullable String id, String name, String message) {
    ObjectNode response = NODES.objectNode().put("error", message);
    return Part.of(new PartContent.FunctionResponse(id, name, response, null, false, true))
        .withRole("user");
  }

  static Part failed(@Nullable String id, String name, Throwable e) {
    return error(id, name, "Failed to invoke function " + name + ": " + e.getMessage());
  }
}
