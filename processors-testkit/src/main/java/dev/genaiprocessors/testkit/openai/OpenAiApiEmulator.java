package dev.genaiprocessors.testkit.openai;

import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.internal.EmulatorJson;
import dev.genaiprocessors.testkit.internal.ScriptedHttpServer;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scriptable OpenAI-compatible Chat Completions server on 127.0.0.1: it speaks
 * {@code POST /v1/chat/completions} with {@code "stream": true} as OpenAI (and Ollama, llama.cpp, vLLM)
 * do, answers from a queue of {@link ScriptedResponse}s, and records every request.
 *
 * <pre>{@code
 * try (OpenAiApiEmulator server = new OpenAiApiEmulator().start()) {
 *   server.enqueue(OpenAiApiEmulator.toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
 *   OpenAiChatModel model = OpenAiChatModel.builder("gpt-4o-mini").baseUrl(server.baseUrl()).build();
 *   model.apply(Flux.just(Part.text("Weather in Paris?"))).blockLast();
 *   RecordedRequest sent = server.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Protocol checks.</b> Before the script, each request is checked as a real server would: another
 * path gets 404 {@code Invalid URL}; with an {@linkplain #expectApiKey expected key}, a missing or other
 * {@code Authorization: Bearer} gets 401 {@code invalid_api_key} (without one, as local servers, any or
 * no key is accepted); a body that is not JSON, has no {@code model} or no {@code messages} gets 400; a
 * model outside the {@linkplain #knownModels known ones} gets 404 {@code model_not_found}; a request
 * without {@code "stream": true} gets 400, since the emulator only streams. These answers consume no script.
 *
 * <p><b>Script.</b> Responses play in the order enqueued; when the queue is empty a
 * {@linkplain #dispatcher dispatcher} computes the answer, or the emulator answers 501. The static
 * methods build OpenAI-shaped chunks and answers ({@link #roleChunk()}, {@link #textChunk},
 * {@link #toolCallChunk}, {@link #finishChunk}, {@link #usageChunk}, {@link #DONE}, {@link #text},
 * {@link #toolCall}, {@link #error}, {@link #rateLimited()}, {@link #unavailable()}, {@link #badApiKey()},
 * {@link #modelNotFound}); faults (pauses, a cut connection, malformed bytes) are steps of the
 * {@link ScriptedResponse}.
 *
 * <p><b>Lifecycle.</b> {@link #start()} binds a free port; {@link #close()} closes every connection and
 * the port. <b>Threading.</b> Thread-safe; {@link #takeRequest} and {@link #awaitConnectionClosed} block
 * their caller (a test thread). <b>Limits.</b> Request bodies are read whole.
 */
public final class OpenAiApiEmulator implements AutoCloseable {

  /** The data of the event that ends a stream. */
  public static final String DONE = "[DONE]";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ScriptedHttpServer server;
  private volatile @Nullable String expectedApiKey;
  private volatile @Nullable Set<String> knownModels;

  /** An emulator, not yet bound: call {@link #start()}. */
  public OpenAiApiEmulator() {
    this.server =
        new ScriptedHttpServer(
            "OpenAiApiEmulator",
            this::check,
            request ->
                error(
                    501,
                    "server_error",
                    null,
                    "OpenAiApiEmulator has no scripted response left for "
                        + request.method()
                        + " "
                        + request.path()));
  }

  /**
   * Binds 127.0.0.1 on a free port (once). Blocks up to 10 s.
   *
   * @return this emulator, started
   */
  public OpenAiApiEmulator start() {
    server.start();
    return this;
  }

  /**
   * {@code http://127.0.0.1:<port>/v1}, the base URL to give {@code OpenAiChatModel.Builder.baseUrl} (processors-openai).
   *
   * @return the base URL, ending {@code /v1}
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  /**
   * The bound port.
   *
   * @return the port the emulator listens on, on 127.0.0.1
   */
  public int port() {
    return server.port();
  }

  /**
   * Only {@code Authorization: Bearer <apiKey>} is accepted from now on; by default any or none is.
   *
   * @param apiKey the only key accepted
   * @return this emulator
   */
  public OpenAiApiEmulator expectApiKey(String apiKey) {
    this.expectedApiKey = Objects.requireNonNull(apiKey, "apiKey");
    return this;
  }

  /**
   * Only these models exist from now on (others get 404); by default every name does.
   *
   * @param models the model names
   * @return this emulator
   */
  public OpenAiApiEmulator knownModels(Set<String> models) {
    this.knownModels = Set.copyOf(models);
    return this;
  }

  /**
   * Adds an answer to the queue.
   *
   * @param response the answer to the next request not yet answered
   * @return this emulator
   */
  public OpenAiApiEmulator enqueue(ScriptedResponse response) {
    server.enqueue(response);
    return this;
  }

  /**
   * Computes answers once the queue is empty (null to stop).
   *
   * @param dispatcher computes the answer to each request once the queue is empty; null to stop
   * @return this emulator
   */
  public OpenAiApiEmulator dispatcher(
      @Nullable Function<RecordedRequest, ScriptedResponse> dispatcher) {
    server.dispatcher(dispatcher);
    return this;
  }

  /**
   * The next request received, in order, waiting up to {@code timeout}; null when none came. Blocks.
   *
   * @param timeout the longest wait
   * @return the request, or null when none came in time
   */
  public @Nullable RecordedRequest takeRequest(Duration timeout) {
    return server.takeRequest(timeout);
  }

  /**
   * How many requests were received, rejected ones included.
   *
   * @return the number of requests received since the start
   */
  public int requestCount() {
    return server.requestCount();
  }

  /**
   * How many scripted answers are still queued.
   *
   * @return the number of enqueued answers not yet sent
   */
  public int queuedResponses() {
    return server.queuedResponses();
  }

  /**
   * Waits until a client connection closes (each close counts once); true when one did. Blocks.
   *
   * @param timeout the longest wait
   * @return true when a connection closed in time, false otherwise
   */
  public boolean awaitConnectionClosed(Duration timeout) {
    return server.awaitConnectionClosed(timeout);
  }

  /** Closes every connection and the port. */
  @Override
  public void close() {
    server.close();
  }

  private @Nullable ScriptedResponse check(RecordedRequest request) {
    if (!request.method().equals("POST") || !request.path().equals("/v1/chat/completions")) {
      return error(
          404,
          "invalid_request_error",
          null,
          "Invalid URL (" + request.method() + " " + request.path() + ")");
    }
    String expected = expectedApiKey;
    if (expected != null && !("Bearer " + expected).equals(request.header("authorization"))) {
      return badApiKey();
    }
    JsonNode body;
    try {
      body = request.bodyJson();
    } catch (IllegalStateException e) {
      return error(
          400, "invalid_request_error", null, "We could not parse the JSON body of your request.");
    }
    String model = body.path("model").asString("");
    if (model.isEmpty()) {
      return error(400, "invalid_request_error", null, "you must provide a model parameter");
    }
    if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
      return error(400, "invalid_request_error", null, "[] is too short - 'messages'");
    }
    Set<String> models = knownModels;
    if (models != null && !models.contains(model)) {
      return modelNotFound(model);
    }
    if (!body.path("stream").asBoolean(false)) {
      return error(
          400,
          "invalid_request_error",
          null,
          "OpenAiApiEmulator answers streaming requests only (\"stream\": true)");
    }
    return null;
  }

  // ---------------------------------------------------------------- chunks

  private static ObjectNode chunk(@Nullable ObjectNode delta, @Nullable String finishReason) {
    ObjectNode root = NODES.objectNode();
    root.put("id", "chatcmpl-emulated");
    root.put("object", "chat.completion.chunk");
    root.put("created", 0);
    root.put("model", "openai-emulator");
    ArrayNode choices = root.putArray("choices");
    if (delta != null) {
      ObjectNode choice = choices.addObject();
      choice.put("index", 0);
      choice.set("delta", delta);
      if (finishReason == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finishReason);
      }
    }
    return root;
  }

  /**
   * The first chunk of an answer: {@code delta: {"role": "assistant", "content": ""}}.
   *
   * @return the event's data, a JSON document
   */
  public static String roleChunk() {
    return EmulatorJson.write(
        chunk(NODES.objectNode().put("role", "assistant").put("content", ""), null));
  }

  /**
   * A chunk with a piece of text: {@code delta.content}.
   *
   * @param text the piece of text
   * @return the event's data, a JSON document
   */
  public static String textChunk(String text) {
    return EmulatorJson.write(chunk(NODES.objectNode().put("content", text), null));
  }

  /**
   * A chunk with a fragment of a tool call: the first fragment of a call has its id and name, later ones
   * only more of the arguments string (give null id and name).
   *
   * @param index the call's index in the choice, from 0
   * @param id the call's id on its first fragment, else null
   * @param name the function's name on the call's first fragment, else null
   * @param argumentsFragment the next piece of the arguments' JSON text; may be empty
   * @return the event's data, a JSON document
   */
  public static String toolCallChunk(
      int index, @Nullable String id, @Nullable String name, String argumentsFragment) {
    ObjectNode delta = NODES.objectNode();
    ObjectNode call = delta.putArray("tool_calls").addObject();
    call.put("index", index);
    if (id != null) {
      call.put("id", id);
      call.put("type", "function");
    }
    ObjectNode function = call.putObject("function");
    if (name != null) {
      function.put("name", name);
    }
    function.put("arguments", argumentsFragment);
    return EmulatorJson.write(chunk(delta, null));
  }

  /**
   * The chunk that finishes the choice ({@code stop}, {@code length}, {@code tool_calls}).
   *
   * @param finishReason the finish reason
   * @return the event's data, a JSON document
   */
  public static String finishChunk(String finishReason) {
    return EmulatorJson.write(chunk(NODES.objectNode(), finishReason));
  }

  /**
   * The usage chunk sent when {@code stream_options.include_usage} is set: no choices, a {@code usage}.
   *
   * @param promptTokens the prompt's token count
   * @param completionTokens the answer's token count
   * @return the event's data, a JSON document
   */
  public static String usageChunk(int promptTokens, int completionTokens) {
    ObjectNode root = chunk(null, null);
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    return EmulatorJson.write(root);
  }

  // ---------------------------------------------------------------- answers

  /**
   * A streamed text answer: the role chunk, one chunk per piece, {@code stop}, usage, {@code [DONE]}.
   *
   * @param pieces the text pieces, one chunk each, in order
   * @return the answer
   */
  public static ScriptedResponse text(String... pieces) {
    ScriptedResponse.Builder b = ScriptedResponse.builder().event(roleChunk());
    int chars = 0;
    for (String piece : pieces) {
      b.event(textChunk(piece));
      chars += piece.length();
    }
    return b.event(finishChunk("stop"))
        .event(usageChunk(8, Math.max(1, chars / 4)))
        .event(DONE)
        .build();
  }

  /**
   * An answer that is one tool call, its arguments split in three fragments, then {@code tool_calls} and {@code [DONE]}.
   *
   * @param id the call's id
   * @param name the function's name
   * @param argumentsJson the arguments, a JSON object as text
   * @return the answer
   */
  public static ScriptedResponse toolCall(String id, String name, String argumentsJson) {
    int third = argumentsJson.length() / 3;
    return ScriptedResponse.builder()
        .event(roleChunk())
        .event(toolCallChunk(0, id, name, ""))
        .event(toolCallChunk(0, null, null, argumentsJson.substring(0, third)))
        .event(toolCallChunk(0, null, null, argumentsJson.substring(third, 2 * third)))
        .event(toolCallChunk(0, null, null, argumentsJson.substring(2 * third)))
        .event(finishChunk("tool_calls"))
        .event(usageChunk(8, 5))
        .event(DONE)
        .build();
  }

  /**
   * An OpenAI error answer: {@code {"error": {"message", "type", "param": null, "code"}}}.
   *
   * @param httpStatus the HTTP status, such as 400
   * @param type the error type, such as {@code invalid_request_error}
   * @param code the error code, or null to send JSON {@code null}
   * @param message the error message
   * @return the answer
   */
  public static ScriptedResponse error(
      int httpStatus, String type, @Nullable String code, String message) {
    ObjectNode root = NODES.objectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return ScriptedResponse.json(httpStatus, EmulatorJson.write(root));
  }

  /**
   * 429 {@code rate_limit_exceeded}.
   *
   * @return the answer
   */
  public static ScriptedResponse rateLimited() {
    return error(
        429,
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for requests. Please try again in 1s.");
  }

  /**
   * 503, as when the server is overloaded.
   *
   * @return the answer
   */
  public static ScriptedResponse unavailable() {
    return error(503, "server_error", null, "The server is overloaded or not ready yet.");
  }

  /**
   * 401 {@code invalid_api_key}.
   *
   * @return the answer
   */
  public static ScriptedResponse badApiKey() {
    return error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
  }

  /**
   * 404 {@code model_not_found}, in OpenAI's words.
   *
   * @param model the model's name, quoted in the message
   * @return the answer
   */
  public static ScriptedResponse modelNotFound(String model) {
    return error(
        404,
        "invalid_request_error",
        "model_not_found",
        "The model `" + model + "` does not exist or you do not have access to it.");
  }
}
