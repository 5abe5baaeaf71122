package dev.genaiprocessors.testkit.openai;

import dev.genaiprocessors.testkit.Emulator;
import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.internal.EmulatorJson;
import dev.genaiprocessors.testkit.internal.ScriptedHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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
 * try (OpenAiApiEmulator server = OpenAiApiEmulator.builder().build().start()) {
 *   server.enqueue(OpenAiApiEmulator.toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
 *   OpenAiChatModel model = OpenAiChatModel.builder("gpt-4o-mini")
 *       .baseUrl(server.uri().toString()).apiKey(server.apiKey()).build();
 *   model.apply(Flux.just(Part.text("Weather in Paris?"))).blockLast();
 *   RecordedRequest sent = server.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Protocol checks.</b> Before the script, each request is checked as a real server would: another
 * path gets 404 {@code Invalid URL}; a missing {@code Authorization: Bearer} gets 401, another key than
 * {@linkplain #apiKey the emulator's} 401 {@code invalid_api_key} (with {@link Builder#acceptAnyApiKey()},
 * as local servers, any or no key is accepted); a body that is not JSON, has no {@code model} or no {@code messages} gets 400; a
 * model outside the {@linkplain Builder#models known ones} gets 404 {@code model_not_found}; a request
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
public final class OpenAiApiEmulator implements Emulator {

  /** The data of the event that ends a stream. */
  public static final String DONE = "[DONE]";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ScriptedHttpServer server;
  private final String apiKey;
  private final boolean anyApiKey;
  private final @Nullable Set<String> knownModels;

  private OpenAiApiEmulator(Builder b) {
    this.apiKey = b.apiKey;
    this.anyApiKey = b.anyApiKey;
    this.knownModels = b.models;
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
   * A builder with the defaults: key {@code "emulator-key"} (others, or none, get 401), every model name
   * known.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds 127.0.0.1 on a free port (once). Blocks up to 10 s.
   *
   * @return this
   */
  @Override
  public OpenAiApiEmulator start() {
    server.start();
    return this;
  }

  /**
   * {@code http://127.0.0.1:<port>/v1}, the base URL to give {@code OpenAiChatModel.Builder#baseUrl}.
   *
   * @return the base URI
   * @throws IllegalStateException before {@link #start()}
   */
  @Override
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.port() + "/v1");
  }

  /**
   * The key clients must send as {@code Authorization: Bearer <key>}.
   *
   * @return the key
   */
  @Override
  public String apiKey() {
    return apiKey;
  }

  /**
   * The bound port.
   *
   * @return the port
   * @throws IllegalStateException before {@link #start()}
   */
  public int port() {
    return server.port();
  }

  /**
   * Adds an answer to the queue.
   *
   * @param response the answer to play for the next request the queue has not answered
   * @return this
   */
  public OpenAiApiEmulator enqueue(ScriptedResponse response) {
    server.enqueue(response);
    return this;
  }

  /**
   * Computes answers once the queue is empty; its answers are not script.
   *
   * @param dispatcher the answer for each request, or null to go back to answering 501
   * @return this
   */
  public OpenAiApiEmulator dispatcher(
      @Nullable Function<RecordedRequest, ScriptedResponse> dispatcher) {
    server.dispatcher(dispatcher);
    return this;
  }

  /**
   * The next request received, in order, waiting up to {@code timeout}. Blocks the caller.
   *
   * @param timeout how long to wait
   * @return the request, or null when none came in time
   */
  public @Nullable RecordedRequest takeRequest(Duration timeout) {
    return server.takeRequest(timeout);
  }

  /**
   * How many requests were received, rejected ones included.
   *
   * @return the count
   */
  public int requestCount() {
    return server.requestCount();
  }

  /**
   * The scripted answers not played yet, described, in order.
   *
   * @return one entry per queued answer
   */
  @Override
  public List<String> unusedScript() {
    return server.unusedScript();
  }

  /**
   * Waits until a client connection closes (each close counts once). Blocks the caller.
   *
   * @param timeout how long to wait
   * @return true when one closed in time
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
    String authorization = request.header("authorization");
    if (!anyApiKey) {
      if (authorization == null || !authorization.startsWith("Bearer ")) {
        return missingApiKey();
      }
      if (!authorization.equals("Bearer " + apiKey)) {
        return badApiKey();
      }
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
   * @return the event's data, a JSON object
   */
  public static String roleChunk() {
    return EmulatorJson.write(
        chunk(NODES.objectNode().put("role", "assistant").put("content", ""), null));
  }

  /**
   * A chunk with a piece of text: {@code delta.content}.
   *
   * @param text the text
   * @return the event's data, a JSON object
   */
  public static String textChunk(String text) {
    return EmulatorJson.write(chunk(NODES.objectNode().put("content", text), null));
  }

  /**
   * A chunk with a fragment of a tool call: the first fragment of a call has its id and name, later ones
   * only more of the arguments string (give null id and name).
   *
   * @param index the index of the call among the tool calls of the answer
   * @param id the call id in the first fragment, else null
   * @param name the function name in the first fragment, else null
   * @param argumentsFragment the next fragment of the arguments string
   * @return the event's data, a JSON object
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
   * @param finishReason the finish reason, such as {@code STOP}
   * @return the event's data, a JSON object
   */
  public static String finishChunk(String finishReason) {
    return EmulatorJson.write(chunk(NODES.objectNode(), finishReason));
  }

  /**
   * The usage chunk sent when {@code stream_options.include_usage} is set: no choices, a {@code usage}.
   *
   * @param promptTokens the prompt token count to report
   * @param completionTokens the completion token count to report
   * @return the event's data, a JSON object
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
   * @param pieces the text, piece by piece
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
   * @param id the call id, or null for none
   * @param name the function name
   * @param argumentsJson the arguments, a JSON object as a string
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
   * @param httpStatus the HTTP status
   * @param type the error type, such as {@code invalid_request_error}
   * @param code the error code, or null for none
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
   * 401 without a code: how OpenAI answers a request with no {@code Authorization: Bearer} header.
   *
   * @return the answer
   */
  public static ScriptedResponse missingApiKey() {
    return error(
        401,
        "invalid_request_error",
        null,
        "You didn't provide an API key. You need to provide your API key in an Authorization header "
            + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
  }

  /**
   * 404 {@code model_not_found}, in OpenAI's words.
   *
   * @param model the model name
   * @return the answer
   */
  public static ScriptedResponse modelNotFound(String model) {
    return error(
        404,
        "invalid_request_error",
        "model_not_found",
        "The model `" + model + "` does not exist or you do not have access to it.");
  }

  /** Configures an {@link OpenAiApiEmulator}. Not thread-safe; build once. */
  public static final class Builder {
    private String apiKey = "emulator-key";
    private boolean anyApiKey;
    private @Nullable Set<String> models;

    private Builder() {}

    /**
     * The key clients must send as {@code Authorization: Bearer <key>}; others get 401
     * {@code invalid_api_key}. Default {@code "emulator-key"}.
     *
     * @param apiKey the key, not blank
     * @return this
     * @throws IllegalArgumentException when blank
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException("apiKey must not be blank");
      }
      this.apiKey = apiKey;
      return this;
    }

    /**
     * Accepts any key or none, as local OpenAI-compatible servers (Ollama, llama.cpp, vLLM) do.
     *
     * @return this
     */
    public Builder acceptAnyApiKey() {
      this.anyApiKey = true;
      return this;
    }

    /**
     * Only these models exist (others get 404 {@code model_not_found}); by default every name does.
     *
     * @param names the model names
     * @return this
     */
    public Builder models(String... names) {
      this.models = Set.of(names);
      return this;
    }

    /**
     * The emulator, not started.
     *
     * @return a new emulator
     */
    public OpenAiApiEmulator build() {
      return new OpenAiApiEmulator(this);
    }
  }
}
