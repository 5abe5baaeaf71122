package dev.genaiprocessors.gemini;

import dev.genaiprocessors.client.GenerationConfig;
import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.client.internal.ApiKey;
import dev.genaiprocessors.client.internal.EventDecoder;
import dev.genaiprocessors.client.internal.HttpEndpoints;
import dev.genaiprocessors.client.internal.StreamedCall;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartBufferOverflowException;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.error.ModelConnectionException;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.core.functions.Tool;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A turn-based Gemini model as a {@link Processor}: the input is the prompt, the output is the model's
 * answer, streamed part by part as the Gemini API sends it ({@code streamGenerateContent?alt=sse}).
 *
 * <pre>{@code
 * GeminiModel model = GeminiModel.builder("gemini-2.5-flash")      // key from GEMINI_API_KEY
 *     .systemInstruction("Answer in one sentence.")
 *     .generationConfig(GenerationConfig.builder().temperature(0.2).build())
 *     .build();
 * model.apply(Flux.just(Part.text("Why is the sky blue?").withRole("user")))
 *     .filter(Part::isText).map(Part::text).subscribe(System.out::print);
 * }</pre>
 *
 * <p><b>Input.</b> The whole input is gathered first (at most {@link Builder#maxPromptParts(int)} parts),
 * then one call is made; an input with nothing to send makes no call and completes empty. The model
 * keeps no state: send the whole conversation each time. Mapping to {@code contents}: consecutive parts
 * of one role share a content; role {@code model} (or {@code assistant}) stays {@code model}, any other
 * role is {@code user}; parts of role {@code system} join the {@linkplain Builder#systemInstruction
 * system instruction} (after the builder's). Text is {@code text}; bytes (images, audio, PDF...) are
 * {@code inlineData} in base64; function calls are {@code functionCall} and function responses
 * {@code functionResponse}, with their ids when they have one; JSON parts are sent as their JSON text.
 * Empty text (end-of-turn and other control parts, answer summaries) and parts of the {@code status}
 * and {@code debug} substreams are not sent. A part's {@link ResponseMetadata#THOUGHT_SIGNATURE} is sent
 * back as its {@code thoughtSignature}. Tools become {@code functionDeclarations} (their schema as
 * {@code parametersJsonSchema}); running them is {@code FunctionCalling}'s job.
 *
 * <p><b>Output.</b> Each part of {@code candidates[0].content} is emitted as soon as its event arrives,
 * with the candidate's role ({@code model} by default): text (thinking marked {@link ResponseMetadata#THOUGHT}),
 * inline data as bytes, function calls as {@link Part#functionCall(String, String, JsonNode)} with the id
 * Gemini gave (or none); other kinds ({@code executableCode}...) as JSON parts named after the field.
 * A complete answer ends with one empty summary part ({@link ResponseMetadata#isSummary}) holding
 * {@code finish_reason}, {@code usage_metadata}, {@code model_version}, {@code response_id} and, when the
 * prompt was blocked, {@code prompt_feedback}.
 *
 * <p><b>Errors.</b> No key (neither the builder's nor {@code GEMINI_API_KEY} nor {@code GOOGLE_API_KEY}):
 * {@link IllegalStateException} at subscription. An error answer: {@link ModelException} with its
 * {@link ModelException.Kind} (a bad key, including Gemini's 400 {@code API_KEY_INVALID}, is
 * {@code AUTHENTICATION}; 404 names the model). An answer that breaks the wire format:
 * {@link ModelProtocolException}. A transport failure retries could not mend:
 * {@link ModelConnectionException}. A prompt longer than the bound: {@link PartBufferOverflowException}.
 * The API key never appears in a message, a log line or a {@code toString}.
 *
 * <p><b>Retries</b> follow the {@link RetryPolicy} (default 5 attempts on 408, 429, 500, 502, 503, 504
 * and transport failures, backoff from 1 s doubling to 60 s plus up to 1 s of jitter, waiting on the
 * {@linkplain Builder#scheduler scheduler}). Emitted parts are never taken back or repeated: a failure
 * before any part re-sends the request; a failure after text re-sends it with that text as the start of
 * the model's content, and the answer goes on from there; a failure after a function call, a blob or
 * thinking is not retried.
 *
 * <p><b>Threading.</b> Parts are emitted on a Netty event-loop thread: do not block downstream (use
 * {@code publishOn} for blocking work). Backoff waits run on the scheduler. <b>Cancellation</b> closes the
 * connection and stops any pending retry.
 *
 * <p><b>Limits.</b> One server-sent event may hold at most 32 MiB (an inline image in base64), after any
 * decompression; a read that stays idle past {@link Builder#readTimeout(Duration)} (default 5 minutes)
 * fails the attempt; a TCP connect or TLS handshake past {@link Builder#connectTimeout(Duration)} (default
 * 10 s) fails the attempt; the whole call, retries included, fails past {@link Builder#callTimeout(Duration)}
 * (default 10 minutes); an error body is read up to 64 KiB; response headers up to Reactor Netty's
 * 8 KiB. <b>Redirects</b> are never followed (a {@link ModelException.Kind#REQUEST} error names the
 * {@code Location}), so the key header goes to the base URL's address only.
 *
 * <p><b>Lifecycle.</b> Building connects nothing. Each subscription makes its own call over a pooled
 * connection of the {@link HttpClient}. Immutable and thread-safe: share one instance.
 */
public final class GeminiModel implements Processor {

  /** The public Gemini API endpoint, the default base URL. */
  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

  /** The environment variables read for the key, in order (as the Google Gen AI SDKs do, GOOGLE_API_KEY first). */
  public static final List<String> API_KEY_VARIABLES = List.of("GOOGLE_API_KEY", "GEMINI_API_KEY");

  static final int MAX_EVENT_BYTES = 32 * 1024 * 1024;

  private final Builder config;
  private final String modelPath;
  private final ObjectNode generationConfig;
  private final StreamedCall call;

  private GeminiModel(Builder b) {
    this.config = b.copy();
    this.modelPath = b.model.contains("/") ? b.model : "models/" + b.model;
    this.generationConfig =
        GeminiRequests.generationConfig(b.generationConfig, b.rawGenerationConfig);
    HttpClient http = HttpEndpoints.client(b.httpClient, b.baseUrl, b.connectTimeout);
    this.call =
        new StreamedCall(
            http, b.retryPolicy, b.scheduler, MAX_EVENT_BYTES, b.readTimeout, b.callTimeout);
  }

  /**
   * A builder for a model. Defaults: base URL {@value #DEFAULT_BASE_URL}; key from the builder, else
   * {@code GOOGLE_API_KEY}, else {@code GEMINI_API_KEY}; no system instruction; {@link GenerationConfig#defaults()};
   * no tools; {@link RetryPolicy#defaults()}; {@code Schedulers.parallel()}; read timeout 5 minutes; call timeout 10 minutes; connect timeout 10 s;
   * at most 10,000 prompt parts; {@code HttpClient.create()}.
   *
   * @param model the model's name, such as {@code gemini-2.5-flash}, {@code models/gemini-2.5-flash} or
   *     {@code tunedModels/my-model}
   * @return a new builder with the defaults above and this model name
   * @throws IllegalArgumentException when the name is blank or holds characters a path cannot
   */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /**
   * A builder holding this model's configuration.
   *
   * @return a new builder with this model's settings, to build a changed copy; this model is not changed
   */
  public Builder toBuilder() {
    return config.copy();
  }

  /**
   * The model's name as given.
   *
   * @return the model's name, exactly as given to {@link #builder(String)}
   */
  public String model() {
    return config.model;
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.defer(
        () -> {
          ApiKey key =
              config.apiKey != null
                  ? config.apiKey
                  : ApiKey.fromEnvironment(config.environment, API_KEY_VARIABLES);
          if (key == null) {
            return Flux.error(
                new IllegalStateException(
                    "no Gemini API key: set the environment variable GEMINI_API_KEY"
                        + " (or GOOGLE_API_KEY), or give one to GeminiModel.Builder.apiKey"));
          }
          return StreamedCall.gather(input, config.maxPromptParts, "GeminiModel")
              .flatMapMany(
                  parts -> {
                    GeminiRequests.Prompt prompt =
                        GeminiRequests.prompt(parts, config.systemInstruction);
                    return prompt.isEmpty() ? Flux.empty() : call.stream(new Exchange(prompt, key));
                  });
        });
  }

  @Override
  public String toString() {
    return "GeminiModel[model="
        + config.model
        + ", baseUrl="
        + config.baseUrl
        + ", tools="
        + config.tools.stream().map(Tool::name).toList()
        + ", "
        + config.retryPolicy
        + "]";
  }

  /** One call: the prompt and the key. */
  private final class Exchange implements StreamedCall.Exchange {
    private final GeminiRequests.Prompt prompt;
    private final ApiKey key;

    Exchange(GeminiRequests.Prompt prompt, ApiKey key) {
      this.prompt = prompt;
      this.key = key;
    }

    @Override
    public String provider() {
      return GeminiResponses.PROVIDER;
    }

    @Override
    public String uri() {
      return config.baseUrl + "/v1beta/" + modelPath + ":streamGenerateContent?alt=sse";
    }

    @Override
    public void headers(HttpHeaders headers) {
      headers.set("x-goog-api-key", key.value());
    }

    @Override
    public String body(String continuation) {
      return WireJson.write(
          GeminiRequests.body(
              prompt, continuation, generationConfig, config.tools, config.requestFields));
    }

    @Override
    public EventDecoder decoder(int attempt) {
      return new GeminiResponses(config.model, key, attempt);
    }

    @Override
    public ModelException error(
        int statusCode, String body, @Nullable Duration retryAfter, int attempt) {
      return GeminiResponses.error(
          statusCode, body, retryAfter, attempt, config.model, key::redact);
    }

    @Override
    public String redact(String text) {
      return key.redact(text);
    }
  }

  /** Configures a {@link GeminiModel}; setters validate at once, {@link #build()} connects nothing. */
  public static final class Builder {
    private final String model;
    private @Nullable ApiKey apiKey;
    private UnaryOperator<@Nullable String> environment = System::getenv;
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable String systemInstruction;
    private GenerationConfig generationConfig = GenerationConfig.defaults();
    private @Nullable ObjectNode rawGenerationConfig;
    private final Map<String, JsonNode> requestFields = new LinkedHashMap<>();
    private final List<Tool> tools = new ArrayList<>();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Scheduler scheduler = Schedulers.parallel();
    private Duration readTimeout = Duration.ofMinutes(5);
    private Duration callTimeout = Duration.ofMinutes(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private @Nullable HttpClient httpClient;
    private int maxPromptParts = 10_000;

    private Builder(String model) {
      Objects.requireNonNull(model, "model");
      if (!model.matches("[A-Za-z0-9._\\-]+(/[A-Za-z0-9._\\-]+)*")) {
        throw new IllegalArgumentException(
            "model must be a name such as 'gemini-2.5-flash', was '" + model + "'");
      }
      this.model = model;
    }

    /**
     * The API key, sent as the {@code x-goog-api-key} header; by default {@code GOOGLE_API_KEY}, else
     * {@code GEMINI_API_KEY}, read at each subscription. Never logged or shown.
     *
     * @param apiKey the key; not blank
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = ApiKey.of(apiKey);
      return this;
    }

    /** Where environment variables are read; {@code System::getenv} by default (tests give a map). */
    Builder environment(UnaryOperator<@Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * The API's base URL, without the version; default {@value #DEFAULT_BASE_URL}. Point it at a
     * {@code GeminiApiEmulator} (processors-testkit) or a proxy.
     *
     * @param baseUrl the absolute http or https URL the calls go to, without the version
     * @return this builder
     * @throws IllegalArgumentException when not an absolute http or https URL
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = HttpEndpoints.baseUrl(baseUrl);
      return this;
    }

    /**
     * A system instruction, sent before the text of any {@code system} parts of the prompt; none by default.
     *
     * @param systemInstruction the text of the system instruction; not null
     * @return this builder
     */
    public Builder systemInstruction(String systemInstruction) {
      this.systemInstruction = Objects.requireNonNull(systemInstruction, "systemInstruction");
      return this;
    }

    /**
     * The typed generation settings, sent as {@code generationConfig}; none by default.
     *
     * @param generationConfig the settings (temperature, token limit, stop sequences...) written into each request
     * @return this builder
     */
    public Builder generationConfig(GenerationConfig generationConfig) {
      this.generationConfig = Objects.requireNonNull(generationConfig, "generationConfig");
      return this;
    }

    /**
     * Raw {@code generationConfig} fields (such as {@code thinkingConfig}, {@code responseModalities}),
     * written over the typed ones; none by default.
     *
     * @param rawGenerationConfig the fields to write, a JSON object; copied, so later changes to it are not seen
     * @return this builder
     */
    public Builder rawGenerationConfig(ObjectNode rawGenerationConfig) {
      this.rawGenerationConfig =
          Objects.requireNonNull(rawGenerationConfig, "rawGenerationConfig").deepCopy();
      return this;
    }

    /**
     * A top-level field of the request body (such as {@code safetySettings}, {@code toolConfig},
     * {@code cachedContent}), set last: it replaces what the model would write under that name,
     * {@code tools} included.
     *
     * @param name the field's name in the JSON body, as the API spells it
     * @param value the field's value; copied, so later changes to it are not seen
     * @return this builder
     */
    public Builder requestField(String name, JsonNode value) {
      Objects.requireNonNull(name, "name");
      requestFields.put(name, Objects.requireNonNull(value, "value").deepCopy());
      return this;
    }

    /**
     * Tools the model may call, declared as {@code functionDeclarations}; adds to those given before.
     *
     * @param tools the tools to add, in order; none of them null
     * @return this builder
     */
    public Builder tools(List<Tool> tools) {
      for (Tool t : Objects.requireNonNull(tools, "tools")) {
        this.tools.add(Objects.requireNonNull(t, "tool"));
      }
      return this;
    }

    /**
     * Tools the model may call; adds to those given before.
     *
     * @param tools the tools to add, in order; none of them null
     * @return this builder
     */
    public Builder tools(Tool... tools) {
      return tools(List.of(tools));
    }

    /**
     * When and how to retry; {@link RetryPolicy#defaults()} by default.
     *
     * @param retryPolicy the policy for retrying failed attempts ({@link RetryPolicy#none()} for no retries)
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Where backoff waits run; {@code Schedulers.parallel()} by default (tests give a virtual-time one).
     *
     * @param scheduler the scheduler for backoff waits and the call timeout
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The longest a read may stay idle, waiting for the answer's first byte included; default 5 minutes
     * (thinking models may be silent a long time). A timeout is retried like a cut connection.
     *
     * @param readTimeout the longest idle time between two reads; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = HttpEndpoints.positive(readTimeout, "readTimeout");
      return this;
    }

    /**
     * The longest one call may take in all, from the request to the end of the answer, retries and
     * backoff waits included; default 10 minutes. Past it the connection is closed and the call fails
     * with a {@link ModelConnectionException} that names this deadline, whatever the server still sends
     * (keep-alive comments, a body that trickles). Counted on the {@linkplain #scheduler scheduler}.
     *
     * @param callTimeout the deadline of one whole call, retries included; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = HttpEndpoints.positive(callTimeout, "callTimeout");
      return this;
    }

    /**
     * The longest a TCP connect, and for an {@code https} base URL the TLS handshake, may take; default
     * 10 seconds. A timeout is retried like a cut connection. Applies to the default client only: a client
     * given to {@link #httpClient} keeps its own settings (the call timeout bounds it still).
     *
     * @param connectTimeout the deadline of a connect and TLS handshake; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = HttpEndpoints.positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * The HTTP client (proxy, TLS, pool, metrics); {@code HttpClient.create()} by default.
     *
     * @param httpClient the Reactor Netty client the calls use; redirects are turned off on it whatever its settings
     * @return this builder
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The most parts gathered for one prompt; a longer input fails with
     * {@link PartBufferOverflowException}. Default 10,000.
     *
     * @param maxPromptParts the most parts one prompt may gather; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxPromptParts(int maxPromptParts) {
      if (maxPromptParts <= 0) {
        throw new IllegalArgumentException(
            "maxPromptParts must be positive, was " + maxPromptParts);
      }
      this.maxPromptParts = maxPromptParts;
      return this;
    }

    /**
     * The model. Connects nothing; the key is read at each subscription when none was given.
     *
     * @return a new model with this builder's settings; the builder may be used again
     */
    public GeminiModel build() {
      return new GeminiModel(this);
    }

    private Builder copy() {
      Builder b = new Builder(model);
      b.apiKey = apiKey;
      b.environment = environment;
      b.baseUrl = baseUrl;
      b.systemInstruction = systemInstruction;
      b.generationConfig = generationConfig;
      b.rawGenerationConfig = rawGenerationConfig == null ? null : rawGenerationConfig.deepCopy();
      b.requestFields.putAll(requestFields);
      b.tools.addAll(tools);
      b.retryPolicy = retryPolicy;
      b.scheduler = scheduler;
      b.readTimeout = readTimeout;
      b.callTimeout = callTimeout;
      b.connectTimeout = connectTimeout;
      b.httpClient = httpClient;
      b.maxPromptParts = maxPromptParts;
      return b;
    }

    @Override
    public String toString() {
      return "GeminiModel.Builder[model=" + model + ", baseUrl=" + baseUrl + "]";
    }
  }
}
