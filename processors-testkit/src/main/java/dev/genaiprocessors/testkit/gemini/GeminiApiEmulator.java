package dev.genaiprocessors.testkit.gemini;

import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.internal.EmulatorJson;
import dev.genaiprocessors.testkit.internal.ScriptedHttpServer;
import java.time.Duration;
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
 * try (GeminiApiEmulator server = new GeminiApiEmulator().start()) {
 *   server.enqueue(GeminiApiEmulator.rateLimited());
 *   server.enqueue(GeminiApiEmulator.text("Hello", ", world"));
 *   GeminiModel model = GeminiModel.builder("gemini-2.5-flash")
 *       .baseUrl(server.baseUrl()).apiKey("test-key").build();
 *   model.apply(Flux.just(Part.text("hi"))).blockLast();           // retries the 429, then streams
 *   RecordedRequest sent = server.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Protocol checks.</b> Before the script, each request is checked as the real API would: a path
 * other than {@code streamGenerateContent}, or a missing {@code alt=sse}, gets 501 {@code UNIMPLEMENTED}
 * (the emulator only streams); no key ({@code x-goog-api-key} header or {@code key} query parameter) gets
 * 403 {@code PERMISSION_DENIED}; a key other than the {@linkplain #expectApiKey expected} one gets 400
 * {@code INVALID_ARGUMENT} with reason {@code API_KEY_INVALID}; a model outside the
 * {@linkplain #knownModels known ones} gets 404 {@code NOT_FOUND}; a body without {@code contents}, or
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
public final class GeminiApiEmulator implements AutoCloseable {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern PATH =
      Pattern.compile("/v1beta/(models|tunedModels)/([^/:]+):([A-Za-z]+)");
  private static final AtomicInteger RESPONSE_IDS = new AtomicInteger();

  private final ScriptedHttpServer server;
  private volatile @Nullable String expectedApiKey;
  private volatile @Nullable Set<String> knownModels;

  /** An emulator, not yet bound: call {@link #start()}. */
  public GeminiApiEmulator() {
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
   * Binds 127.0.0.1 on a free port (once). Blocks up to 10 s.
   *
   * @return this emulator, started
   */
  public GeminiApiEmulator start() {
    server.start();
    return this;
  }

  /**
   * {@code http://127.0.0.1:<port>}, the base URL to give {@code GeminiModel.Builder.baseUrl} (processors-gemini).
   *
   * @return the base URL, with no trailing slash
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
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
   * Only this key is accepted from now on; by default any non-empty key is.
   *
   * @param apiKey the only key accepted, in {@code x-goog-api-key}
   * @return this emulator
   */
  public GeminiApiEmulator expectApiKey(String apiKey) {
    this.expectedApiKey = Objects.requireNonNull(apiKey, "apiKey");
    return this;
  }

  /**
   * Only these models exist from now on (others get 404); by default every name does.
   *
   * @param models the model names, without {@code models/}
   * @return this emulator
   */
  public GeminiApiEmulator knownModels(Set<String> models) {
    this.knownModels = Set.copyOf(models);
    return this;
  }

  /**
   * Adds an answer to the queue.
   *
   * @param response the answer to the next request not yet answered
   * @return this emulator
   */
  public GeminiApiEmulator enqueue(ScriptedResponse response) {
    server.enqueue(response);
    return this;
  }

  /**
   * Computes answers once the queue is empty (null to stop).
   *
   * @param dispatcher computes the answer to each request once the queue is empty; null to stop
   * @return this emulator
   */
  public GeminiApiEmulator dispatcher(
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

  /**
   * The model named by a request's path ({@code gemini-2.5-flash}), or null when the path names none.
   *
   * @param request a request the emulator received
   * @return the model's name, or null
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
    String expected = expectedApiKey;
    if (expected != null && !expected.equals(key)) {
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
   * @param text the text of the part
   * @return the event's data, a JSON document
   */
  public static String textChunk(String text) {
    ObjectNode part = NODES.objectNode().put("text", text);
    return chunk(part, null);
  }

  /**
   * One event with a function call (id may be null: turn-based Gemini often gives none).
   *
   * @param id the call's id, or null to send none
   * @param name the function's name
   * @param args the call's arguments, a JSON object
   * @return the event's data, a JSON document
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
   * @param part the part, as a Gemini {@code Part} JSON object
   * @return the event's data, a JSON document
   */
  public static String partChunk(JsonNode part) {
    return chunk(part, null);
  }

  /**
   * The last event of an answer: a finish reason and usage, as Gemini sends them.
   *
   * @param finishReason the finish reason, such as {@code STOP} or {@code MAX_TOKENS}
   * @param promptTokens the prompt's token count, reported as {@code promptTokenCount}
   * @param candidatesTokens the answer's token count, reported as {@code candidatesTokenCount}
   * @return the event's data, a JSON document
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
   * @param pieces the text pieces, one event each, in order
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
   * @param id the call's id, or null to send none
   * @param name the function's name
   * @param args the call's arguments, a JSON object
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
   * @param httpStatus the HTTP status, such as 400
   * @param status the Gemini status name, such as {@code INVALID_ARGUMENT}
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
   * @param model the model's name, quoted in the message
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
}
