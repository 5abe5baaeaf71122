package dev.genaiprocessors.core.functions;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartBufferOverflowException;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Scheduling;
import dev.genaiprocessors.core.Substreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One subscription of a {@link FunctionCalling} around a bidirectional model: calls run in the
 * background and their responses flow back into the model's input while the session goes on.
 */
final class BidiFunctionCalling {

  static final int MAX_PENDING_RESPONSES = 4096;
  static final String CANCEL = "cancel_fc";
  static final String LIST = "list_fc";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A call running in the background. */
  private record Running(String name, JsonNode args, Disposable subscription) {}

  private final Processor model;
  private final ToolRunner runner;
  private final int maxFunctionCalls;
  private final Sinks.Many<Part> toModel =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(MAX_PENDING_RESPONSES).get());
  private final Sinks.Many<Part> toOutput =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(MAX_PENDING_RESPONSES).get());
  private final Sinks.One<Part> failure = Sinks.one();
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger generatedIds = new AtomicInteger();
  private final AtomicBoolean inputDone = new AtomicBoolean();

  BidiFunctionCalling(Processor model, List<Tool> tools, int maxFunctionCalls) {
    this.model = model;
    this.runner = new ToolRunner(tools);
    this.maxFunctionCalls = maxFunctionCalls;
  }

  /** {@code cancel_fc} and {@code list_fc}; their behaviour is built into the session. */
  static List<Tool> controlTools() {
    ObjectNode cancelSchema = NODES.objectNode().put("type", "object");
    cancelSchema
        .putObject("properties")
        .putObject("function_ids")
        .put("type", "array")
        .put("description", "ids of the running function calls to cancel")
        .putObject("items")
        .put("type", "string");
    cancelSchema.putArray("required").add("function_ids");
    Tool cancel =
        Tool.of(
            CANCEL,
            "Cancels function calls that are running in the background.",
            cancelSchema,
            args -> {
              throw new IllegalStateException("cancel_fc runs inside the session");
            });
    Tool list =
        Tool.of(
            LIST,
            "Lists the function calls that are running in the background, with their ids.",
            NODES.objectNode().put("type", "object"),
            args -> {
              throw new IllegalStateException("list_fc runs inside the session");
            });
    return List.of(cancel, list);
  }

  Flux<Part> run(Flux<Part> input) {
    Flux<Part> userInput =
        input.doOnComplete(
            () -> {
              inputDone.set(true);
              completeIfIdle();
            });
    Flux<Part> modelOutput =
        model
            .apply(Flux.merge(userInput, toModel.asFlux()))
            .concatMap(part -> FunctionCalling.isCall(part) ? onCall(part) : Flux.just(part))
            .doFinally(
                signal -> {
                  running.values().forEach(r -> r.subscription().dispose());
                  running.clear();
                  toOutput.tryEmitComplete();
                  failure.tryEmitEmpty();
                });
    return Flux.merge(modelOutput, toOutput.asFlux(), failure.asMono());
  }

  private Flux<Part> onCall(Part part) {
    PartContent.FunctionCall call = part.functionCall();
    String id = call.id() != null ? call.id() : call.name() + "_" + generatedIds.incrementAndGet();
    Part shown = part.withSubstream(Substreams.FUNCTION_CALL);
    if (call.name().equals(CANCEL)) {
      return Flux.just(shown, answer(cancel(id, call.args())));
    }
    if (call.name().equals(LIST)) {
      return Flux.just(shown, answer(list(id)));
    }
    Tool tool = runner.find(call.name());
    if (tool == null) {
      return Flux.just(shown, answer(runner.unknown(call, id)));
    }
    if (calls.incrementAndGet() > maxFunctionCalls) {
      return Flux.just(
          shown,
          answer(
              ToolRunner.error(
                  id,
                  call.name(),
                  "the limit of " + maxFunctionCalls + " function calls is reached")));
    }
    Part ack =
        ToolRunner.result(
            id, call.name(), NODES.stringNode("Running in background."), Scheduling.SILENT, true);
    // The acknowledgement goes first, to the model and to the output; only then does the tool
    // start, so
    // that even a tool that answers at once is answered after it.
    return Flux.concat(
            Flux.just(shown, answer(ack)),
            reactor.core.publisher.Mono.fromRunnable(() -> start(id, call, tool)))
        .cast(Part.class);
  }

  private void start(String id, PartContent.FunctionCall call, Tool tool) {
    AtomicBoolean finished = new AtomicBoolean();
    Disposable subscription =
        tool.invoke(call.args())
            .map(
                result ->
                    ToolRunner.result(
                        id, call.name(), result, tool.scheduling(), tool.isStreaming()))
            .concatWith(
                Flux.defer(
                    () ->
                        tool.isStreaming()
                            ? Flux.just(
                                ToolRunner.result(
                                    id,
                                    call.name(),
                                    NODES.stringNode(""),
                                    tool.scheduling(),
                                    false))
                            : Flux.empty()))
            .onErrorResume(e -> Flux.just(ToolRunner.failed(id, call.name(), e)))
            .doFinally(
                signal -> {
                  finished.set(true);
                  running.remove(id);
                  completeIfIdle();
                })
            .subscribe(this::send);
    if (!finished.get()) {
      running.put(id, new Running(call.name(), call.args(), subscription));
      if (finished.get()) {
        running.remove(id);
      }
    }
  }

  /** Sends a response to the model and returns it as shown on the output. */
  private Part answer(Part response) {
    emit(toModel, response);
    return response.withSubstream(Substreams.FUNCTION_CALL);
  }

  /** A result from a running call: to the output and to the model. */
  private void send(Part response) {
    emit(toOutput, response.withSubstream(Substreams.FUNCTION_CALL));
    emit(toModel, response);
  }

  private void emit(Sinks.Many<Part> sink, Part part) {
    try {
      Sinks.EmitResult result = sink.tryEmitNext(part);
      while (result == Sinks.EmitResult.FAIL_NON_SERIALIZED) {
        result = sink.tryEmitNext(part);
      }
      if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
        failure.tryEmitError(
            new PartBufferOverflowException(
                "more than "
                    + MAX_PENDING_RESPONSES
                    + " function responses are waiting for the model or the subscriber; consume the output"));
      }
    } catch (RuntimeException e) {
      failure.tryEmitError(e);
    }
  }

  private void completeIfIdle() {
    if (inputDone.get() && running.isEmpty()) {
      toModel.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }
  }

  private Part cancel(String id, JsonNode args) {
    JsonNode ids = args.get("function_ids");
    List<String> cancelled = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    if (ids != null && ids.isArray()) {
      for (JsonNode idNode : ids) {
        Running r = running.remove(idNode.asString());
        if (r != null) {
          r.subscription().dispose();
          cancelled.add(idNode.asString());
        } else {
          unknown.add(idNode.asString());
        }
      }
    }
    completeIfIdle();
    String message =
        "cancelled: " + cancelled + (unknown.isEmpty() ? "" : "; not running: " + unknown);
    return ToolRunner.result(id, CANCEL, NODES.stringNode(message), null, false);
  }

  private Part list(String id) {
    ArrayNode calls = NODES.arrayNode();
    running.forEach(
        (callId, r) ->
            calls.addObject().put("id", callId).put("name", r.name()).set("args", r.args()));
    return ToolRunner.result(id, LIST, calls, null, false);
  }
}
