package dev.genaiprocessors.testkit.gemini;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scriptable Gemini API on 127.0.0.1: it speaks {@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse}
 * as Gemini does, answers from a queue of {@link ScriptedResponse}s, and records every request. For
 * tests, and for examples that run offline.
 *
 * <pre>{@code
 * try (GeminiApiEmulator server = GeminiApiEmulator.builder().build().start()) {
 *   server.enqueue(GeminiApiEmulator.rateLimited());
 *   server.enqueue(GeminiApiEmulator.text("Hello", ", world"));
 *   GeminiModel model = GeminiModel.builder("gemini-2.5-flash")
 *       .baseUrl(server.uri().toString()).apiKey(server.apiKey()).build();
 *   model.apply(Flux.just(Part.text("hi"))).blockLast();           // retries the 429, then streams
 *   RecordedRequest sent = server.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Protocol checks.</b> Before the script, each request is checked as the real API would: a path
 * other than {@code streamGenerateContent}, or a missing {@code alt=sse}, gets 501 {@code UNIMPLEMENTED}
 * (the emulator only streams); no key ({@code x-goog-api-key} header or {@code key} query parameter) gets
 * 403 {@code PERMISSION_DENIED}; a key other than {@linkplain #apiKey the emulator's} gets 400
 * {@code INVALID_ARGUMENT} with reason {@code API_KEY_INVALID}; a model outside the
 * {@linkplain Builder#models known ones} gets 404 {@code NOT_FOUND}; a body without {@code contents}, or
 * with an empty content, gets 400 {@code INVALID_ARGUMENT}. These answers consume no script.
 *
 * <p><b>Script.</b> Responses play in the order enqueued; when the queue is empty a
 * {@linkplain #dispatcher dispatcher} computes the answer, or the emulator answers 501 with a Gemini
 * error saying nothing was scripted. The static methods build Gemini-shaped events and answers
 * ({@link #textChunk}, {@link #functionCallChunk}, {@link #finishChunk}, {@link #text}, {@link #error},
 * {@link #rateLimited()}, {@link #unavailable()}, {@link #badApiKey()}, {@link #modelNotFound}); faults
 * (pauses, a cut connection, malformed bytes) are steps of the {@link ScriptedResponse}.
 *
 * <p><b>Lifecycle.</b> {@link #start()} binds a free port; {@link #close()} closes every connection and
 * the port. <b>Threading.</b> Thread-safe; answers are played on Netty threads and pauses on
 * {@code Schedulers.parallel()}; {@link #takeRequest} and {@link #awaitConnectionClosed} block their
 * caller (a test thread). <b>Limits.</b> Request bodies are read whole.
 */
public final class GeminiApiEmulator implements Emulator {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern PATH =
      Pattern.compile("/v1beta/(models|tunedModels)/([^/:]+):([A-Za-z]+)");
  private static final AtomicInteger RESPONSE_IDS = new AtomicInteger();

  private final ScriptedHttpServer server;
  private final String apiKey;
  private final boolean anyApiKey;
  private final @Nullable Set<String> knownModels;

  private GeminiApiEmulator(Builder b) {
    this.apiKey = b.apiKey;
    this.anyApiKey = b.anyApiKey;
    this.knownModels = b.models;
    this.server =
        new ScriptedHttpServer(
            "GeminiApiEmulator",
            this::check,
            request ->
                error(
                    501,
                    "UNIMPLEMENTED",
                    "GeminiApiEmulator has no scripted response left for "
                        + request.method()
                        + " "
                        + request.path()));
  }

  /**
   * A builder with the defaults: key {@code "emulator-key"} (others are refused), every model name known.
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
  public GeminiApiEmulator start() {
    server.start();
    return this;
  }

  /**
   * {@code http://127.0.0.1:<port>}, the base URL to give {@code GeminiModel.Builder#baseUrl}.
   *
   * @return the base URI
   * @throws IllegalStateException before {@link #start()}
   */
  @Override
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /**
   * The key clients must send ({@code x-goog-api-key} header or {@code key} query parameter).
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
  public GeminiApiEmulator enqueue(ScriptedResponse response) {
    server.enqueue(response);
    return this;
  }

  /**
   * Computes answers once the queue is empty; its answers are not script.
   *
   * @param dispatcher the answer for each request, or null to go back to answering 501
   * @return this
   */
  public GeminiApiEmulator dispatcher(
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

  /**
   * The model named by a request's path ({@code gemini-2.5-flash}), or null when the path names none.
   *
   * @param request a recorded request
   * @return the model name, or null when the path names none
   */
  public static @Nullable String modelOf(RecordedRequest request) {
    Matcher m = PATH.matcher(request.path());
    return m.matches() ? m.group(2) : null;
  }

  private @Nullable ScriptedResponse check(RecordedRequest request) {
    Matcher m = PATH.matcher(request.path());
    if (!request.method().equals("POST")
        || !m.matches()
        || !m.group(3).equals("streamGenerateContent")) {
      return error(
          501,
          "UNIMPLEMENTED",
          "GeminiApiEmulator answers POST /v1beta/models/{model}:streamGenerateContent only; got "
              + request.method()
              + " "
              + request.path());
    }
    if (!"sse".equals(request.queryParameter("alt"))) {
      return error(
          501, "UNIMPLEMENTED", "GeminiApiEmulator streams server-sent events only; add ?alt=sse");
    }
    String key = request.header("x-goog-api-key");
    if (key == null) {
      key = request.queryParameter("key");
    }
    if (key == null || key.isEmpty()) {
      return error(
          403,
          "PERMISSION_DENIED",
          "Method doesn't allow unregistered callers (callers without established "
              + "identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    if (!anyApiKey && !apiKey.equals(key)) {
      return badApiKey();
    }
    Set<String> models = knownModels;
    if (models != null && !models.contains(m.group(2))) {
      return modelNotFound(m.group(2));
    }
    JsonNode body;
    try {
      body = request.bodyJson();
    } catch (IllegalStateException e) {
      return error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    }
    JsonNode contents = body.path("contents");
    if (!contents.isArray() || contents.isEmpty()) {
      return error(
          400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");
    }
    for (JsonNode content : contents) {
      if (!content.path("parts").isArray() || content.path("parts").isEmpty()) {
        return error(
            400,
            "INVALID_ARGUMENT",
            "* GenerateContentRequest.contents: contents.parts must not be empty.");
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- events

  /**
   * One event with a text part of role {@code model}.
   *
   * @param text the text
   * @return the event's data, a JSON object
   */
  public static String textChunk(String text) {
    ObjectNode part = NODES.objectNode().put("text", text);
    return chunk(part, null);
  }

  /**
   * One event with a function call (id may be null: turn-based Gemini often gives none).
   *
   * @param id the call id, or null for none
   * @param name the function name
   * @param args the arguments, a JSON object
   * @return the event's data, a JSON object
   */
  public static String functionCallChunk(@Nullable String id, String name, JsonNode args) {
    ObjectNode call = NODES.objectNode();
    if (id != null) {
      call.put("id", id);
    }
    call.put("name", name);
    call.set("args", args);
    ObjectNode part = NODES.objectNode();
    part.set("functionCall", call);
    return chunk(part, null);
  }

  /**
   * One event with any part, such as {@code {"inlineData": {...}}} or {@code {"text": "..", "thought": true}}.
   *
   * @param part the part, as Gemini writes it
   * @return the event's data, a JSON object
   */
  public static String partChunk(JsonNode part) {
    return chunk(part, null);
  }

  /**
   * The last event of an answer: a finish reason and usage, as Gemini sends them.
   *
   * @param finishReason the finish reason, such as {@code STOP}
   * @param promptTokens the prompt token count to report
   * @param candidatesTokens the candidates token count to report
   * @return the event's data, a JSON object
   */
  public static String finishChunk(String finishReason, int promptTokens, int candidatesTokens) {
    ObjectNode root = NODES.objectNode();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts").addObject().put("text", "");
    content.put("role", "model");
    candidate.put("finishReason", finishReason);
    candidate.put("index", 0);
    ObjectNode usage = root.putObject("usageMetadata");
    usage.put("promptTokenCount", promptTokens);
    usage.put("candidatesTokenCount", candidatesTokens);
    usage.put("totalTokenCount", promptTokens + candidatesTokens);
    root.put("modelVersion", "gemini-emulator");
    root.put("responseId", "emulated-" + RESPONSE_IDS.incrementAndGet());
    return EmulatorJson.write(root);
  }

  private static String chunk(JsonNode part, @Nullable String finishReason) {
    ObjectNode root = NODES.objectNode();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    ArrayNode parts = content.putArray("parts");
    parts.add(part.deepCopy());
    content.put("role", "model");
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    candidate.put("index", 0);
    root.put("modelVersion", "gemini-emulator");
    return EmulatorJson.write(root);
  }

  // ---------------------------------------------------------------- answers

  /**
   * A streamed text answer: one event per piece, then {@code STOP} with usage.
   *
   * @param pieces the text, piece by piece
   * @return the answer
   */
  public static ScriptedResponse text(String... pieces) {
    ScriptedResponse.Builder b = ScriptedResponse.builder();
    int chars = 0;
    for (String piece : pieces) {
      b.event(textChunk(piece));
      chars += piece.length();
    }
    return b.event(finishChunk("STOP", 8, Math.max(1, chars / 4))).build();
  }

  /**
   * An answer that is one function call, then {@code STOP}.
   *
   * @param id the call id, or null for none
   * @param name the function name
   * @param args the arguments, a JSON object
   * @return the answer
   */
  public static ScriptedResponse functionCall(@Nullable String id, String name, JsonNode args) {
    return ScriptedResponse.builder()
        .event(functionCallChunk(id, name, args))
        .event(finishChunk("STOP", 8, 4))
        .build();
  }

  /**
   * A Gemini error answer: {@code {"error": {"code", "message", "status"}}}.
   *
   * @param httpStatus the HTTP status
   * @param status the API status, such as {@code INVALID_ARGUMENT}
   * @param message the error message
   * @return the answer
   */
  public static ScriptedResponse error(int httpStatus, String status, String message) {
    return ScriptedResponse.json(
        httpStatus, EmulatorJson.write(errorBody(httpStatus, status, message)));
  }

  private static ObjectNode errorBody(int httpStatus, String status, String message) {
    ObjectNode root = NODES.objectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", httpStatus);
    error.put("message", message);
    error.put("status", status);
    return root;
  }

  /**
   * 429 {@code RESOURCE_EXHAUSTED}, as when a quota is exceeded.
   *
   * @return the answer
   */
  public static ScriptedResponse rateLimited() {
    return error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
  }

  /**
   * 503 {@code UNAVAILABLE}, as when the model is overloaded.
   *
   * @return the answer
   */
  public static ScriptedResponse unavailable() {
    return error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
  }

  /**
   * 400 {@code INVALID_ARGUMENT} with reason {@code API_KEY_INVALID}: how Gemini rejects a wrong key.
   *
   * @return the answer
   */
  public static ScriptedResponse badApiKey() {
    ObjectNode root =
        errorBody(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
    ObjectNode info = ((ObjectNode) root.get("error")).putArray("details").addObject();
    info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
    info.put("reason", "API_KEY_INVALID");
    info.put("domain", "googleapis.com");
    return ScriptedResponse.json(400, EmulatorJson.write(root));
  }

  /**
   * 404 {@code NOT_FOUND} for a model, in Gemini's words.
   *
   * @param model the model name
   * @return the answer
   */
  public static ScriptedResponse modelNotFound(String model) {
    return error(
        404,
        "NOT_FOUND",
        "models/"
            + model
            + " is not found for API version v1beta, or is not supported for "
            + "generateContent. Call ListModels to see the list of available models and their supported methods.");
  }

  /** Configures a {@link GeminiApiEmulator}. Not thread-safe; build once. */
  public static final class Builder {
    private String apiKey = "emulator-key";
    private boolean anyApiKey;
    private @Nullable Set<String> models;

    private Builder() {}

    /**
     * The key clients must send; others get 400 {@code API_KEY_INVALID}. Default {@code "emulator-key"}.
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
     * Accepts any non-empty key (a missing one still gets 403), for tests of where a client finds its key.
     *
     * @return this
     */
    public Builder acceptAnyApiKey() {
      this.anyApiKey = true;
      return this;
    }

    /**
     * Only these models exist (others get 404 {@code NOT_FOUND}); by default every name does.
     *
     * @param names the model names, without {@code models/}
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
    public GeminiApiEmulator build() {
      return new GeminiApiEmulator(this);
    }
  }
}
