package dev.genaiprocessors.openai;

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
import io.netty.handler.codec.http.HttpHeaderNames;
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
import tools.jackson.databind.node.ArrayNode;

/**
 * A turn-based model behind the OpenAI Chat Completions API as a {@link Processor}: OpenAI itself, or a
 * local OpenAI-compatible server (Ollama, llama.cpp's {@code llama-server}, vLLM) on a configurable base
 * URL. The input is the prompt; the output is the answer, streamed part by part
 * ({@code POST {baseUrl}/chat/completions} with {@code "stream": true}).
 *
 * <pre>{@code
 * OpenAiChatModel local = OpenAiChatModel.builder("llama3.2")
 *     .baseUrl("http://127.0.0.1:11434/v1")                      // Ollama; no key needed
 *     .build();
 * local.apply(Flux.just(Part.text("Say hi").withRole("user")))
 *     .filter(Part::isText).map(Part::text).subscribe(System.out::print);
 * }</pre>
 *
 * <p><b>Input.</b> The whole input is gathered first (at most {@link Builder#maxPromptParts(int)} parts),
 * then one call is made; an input with nothing to send makes no call and completes empty. Mapping to
 * {@code messages}: the builder's {@linkplain Builder#systemInstruction system instruction} first; then
 * consecutive parts of one role make one message: {@code system} (role {@code system}, text only),
 * {@code assistant} (role {@code model} or {@code assistant}: text as {@code content}, function calls as
 * {@code tool_calls} with their JSON arguments as a string) or {@code user} (any other role: text alone
 * as a string {@code content}, or with images as {@code image_url} data URLs and wav or mp3 audio as
 * {@code input_audio} in a content array). Each function response is a {@code tool} message with its
 * {@code tool_call_id} and the JSON response as {@code content}. A call without an id gets
 * {@code call_<n>}, and a response without an id answers the oldest unanswered call of its name. Empty
 * text (control parts, summaries), thinking, and the {@code status} and {@code debug} substreams are not
 * sent. Tools become {@code tools} of type {@code function}; running them is {@code FunctionCalling}'s job.
 * {@link GenerationConfig} maps to {@code temperature}, {@code top_p}, {@code top_k} (not accepted by
 * OpenAI itself), {@code max_tokens}, {@code stop}, {@code seed} and {@code response_format}.
 *
 * <p><b>Output</b>, all of role {@code model}: each {@code delta.content} is a text part emitted as soon as
 * it arrives; {@code delta.reasoning_content} (or {@code reasoning}) is a text part marked
 * {@link ResponseMetadata#THOUGHT}; {@code tool_calls} fragments are assembled per index and emitted as
 * whole {@link Part#functionCall(String, String, JsonNode)} parts, with parsed arguments, when the choice
 * finishes (or at {@code [DONE]}). Only the first choice is read. A complete answer ends with one empty
 * summary part ({@link ResponseMetadata#isSummary}) holding {@code finish_reason}, {@code usage_metadata}
 * (the {@code usage} object, requested with {@code stream_options.include_usage} unless
 * {@link Builder#includeUsage(boolean)} is off), {@code model_version} and {@code response_id}.
 *
 * <p><b>Errors.</b> An error answer: {@link ModelException} with its {@link ModelException.Kind}
 * (401 and 403 are {@code AUTHENTICATION} and name {@code OPENAI_API_KEY}; 404 names the model). Arguments
 * that are not a JSON object, or any chunk that breaks the format: {@link ModelProtocolException}. A
 * transport failure retries could not mend: {@link ModelConnectionException}. Content the API cannot
 * carry (a video...): {@link IllegalArgumentException}. A prompt past the bound:
 * {@link PartBufferOverflowException}. The key never appears in a message, a log line or a {@code toString}.
 *
 * <p><b>Retries</b> follow the {@link RetryPolicy}, as for {@code GeminiModel}: a failure before output
 * re-sends the request; after text, the request is re-sent with that text as a final assistant message
 * to continue (local servers continue it; OpenAI's own API answers it anew, so the seam may show);
 * after a function call or thinking, no retry.
 *
 * <p><b>Threading.</b> Parts are emitted on a Netty event-loop thread: do not block downstream. Backoff
 * waits run on the {@linkplain Builder#scheduler scheduler}. <b>Cancellation</b> closes the connection.
 * <b>Limits.</b> One event may hold at most 32 MiB, after any decompression; the arguments of one
 * answer's tool calls at most 4 Mi characters, and at most 1,024 tool calls; a read idle past the
 * {@linkplain Builder#readTimeout read timeout} fails the attempt, and so does a TCP connect or TLS
 * handshake past the {@linkplain Builder#connectTimeout connect timeout} (10 s); the whole call, retries
 * included, fails past the {@linkplain Builder#callTimeout call timeout} (10 minutes); an error body is read
 * up to 64 KiB. <b>Redirects</b> are never followed (a {@link ModelException.Kind#REQUEST} error names
 * the {@code Location}), so the key goes to the base URL's address only.
 * <b>Lifecycle.</b> Building connects nothing; each subscription makes its own call. Immutable and
 * thread-safe: share one instance.
 */
public final class OpenAiChatModel implements Processor {

  /** OpenAI's endpoint, the default base URL. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** The environment variable read for the key when the builder has none. */
  public static final String API_KEY_VARIABLE = "OPENAI_API_KEY";

  static final int MAX_EVENT_BYTES = 32 * 1024 * 1024;

  private final Builder config;
  private final StreamedCall call;

  private OpenAiChatModel(Builder b) {
    this.config = b.copy();
    HttpClient http = HttpEndpoints.client(b.httpClient, b.baseUrl, b.connectTimeout);
    this.call =
        new StreamedCall(
            http, b.retryPolicy, b.scheduler, MAX_EVENT_BYTES, b.readTimeout, b.callTimeout);
  }

  /**
   * A builder for a model. Defaults: base URL {@value #DEFAULT_BASE_URL}; key from the builder, else
   * {@code OPENAI_API_KEY}, else none (no {@code Authorization} header, as local servers want); no system
   * instruction; {@link GenerationConfig#defaults()}; no tools; usage requested; {@link RetryPolicy#defaults()};
   * {@code Schedulers.parallel()}; read timeout 5 minutes; call timeout 10 minutes; connect timeout 10 s; at most 10,000 prompt parts; {@code HttpClient.create()}.
   *
   * @param model the model's name as the server knows it ({@code gpt-4o-mini}, {@code llama3.2:latest})
   * @return a new builder with the defaults above and this model name
   * @throws IllegalArgumentException when blank
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
                  : ApiKey.fromEnvironment(config.environment, List.of(API_KEY_VARIABLE));
          return StreamedCall.gather(input, config.maxPromptParts, "OpenAiChatModel")
              .flatMapMany(
                  parts -> {
                    ArrayNode messages = OpenAiRequests.messages(parts, config.systemInstruction);
                    boolean onlySystem = true;
                    for (JsonNode m : messages) {
                      onlySystem &= m.path("role").asString("").equals("system");
                    }
                    return onlySystem ? Flux.empty() : call.stream(new Exchange(messages, key));
                  });
        });
  }

  @Override
  public String toString() {
    return "OpenAiChatModel[model="
        + config.model
        + ", baseUrl="
        + config.baseUrl
        + ", tools="
        + config.tools.stream().map(Tool::name).toList()
        + ", "
        + config.retryPolicy
        + "]";
  }

  /** One call: the messages and the key, if any. */
  private final class Exchange implements StreamedCall.Exchange {
    private final ArrayNode messages;
    private final @Nullable ApiKey key;

    Exchange(ArrayNode messages, @Nullable ApiKey key) {
      this.messages = messages;
      this.key = key;
    }

    @Override
    public String provider() {
      return OpenAiResponses.PROVIDER;
    }

    @Override
    public String uri() {
      return config.baseUrl + "/chat/completions";
    }

    @Override
    public void headers(HttpHeaders headers) {
      if (key != null) {
        headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + key.value());
      }
    }

    @Override
    public String body(String continuation) {
      return WireJson.write(
          OpenAiRequests.body(
              config.model,
              messages,
              continuation,
              config.generationConfig,
              config.tools,
              config.includeUsage,
              config.requestFields));
    }

    @Override
    public EventDecoder decoder(int attempt) {
      return new OpenAiResponses(config.model, config.baseUrl, key, attempt);
    }

    @Override
    public ModelException error(
        int statusCode, String body, @Nullable Duration retryAfter, int attempt) {
      return OpenAiResponses.error(
          statusCode,
          body,
          retryAfter,
          attempt,
          config.model,
          config.baseUrl,
          text -> ApiKey.redact(key, text));
    }

    @Override
    public String redact(String text) {
      return ApiKey.redact(key, text);
    }
  }

  /** Configures an {@link OpenAiChatModel}; setters validate at once, {@link #build()} connects nothing. */
  public static final class Builder {
    private final String model;
    private @Nullable ApiKey apiKey;
    private UnaryOperator<@Nullable String> environment = System::getenv;
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable String systemInstruction;
    private GenerationConfig generationConfig = GenerationConfig.defaults();
    private final Map<String, JsonNode> requestFields = new LinkedHashMap<>();
    private final List<Tool> tools = new ArrayList<>();
    private boolean includeUsage = true;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Scheduler scheduler = Schedulers.parallel();
    private Duration readTimeout = Duration.ofMinutes(5);
    private Duration callTimeout = Duration.ofMinutes(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private @Nullable HttpClient httpClient;
    private int maxPromptParts = 10_000;

    private Builder(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank() || model.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "model must be a name such as 'gpt-4o-mini', was '" + model + "'");
      }
      this.model = model;
    }

    /**
     * The API key, sent as {@code Authorization: Bearer}; by default {@code OPENAI_API_KEY}, read at each
     * subscription, or none when unset (local servers need none). Never logged or shown.
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
     * The base URL, up to and including the version, to which {@code /chat/completions} is added; default
     * {@value #DEFAULT_BASE_URL}. Ollama: {@code http://127.0.0.1:11434/v1}; llama.cpp:
     * {@code http://127.0.0.1:8080/v1}; vLLM: {@code http://127.0.0.1:8000/v1}; an {@code OpenAiApiEmulator}
     * (processors-testkit): its {@code uri()}.
     *
     * @param baseUrl the absolute http or https URL the calls go to, up to and including the version
     * @return this builder
     * @throws IllegalArgumentException when not an absolute http or https URL
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = HttpEndpoints.baseUrl(baseUrl);
      return this;
    }

    /**
     * A system message put first; none by default.
     *
     * @param systemInstruction the text of the system message; not null
     * @return this builder
     */
    public Builder systemInstruction(String systemInstruction) {
      this.systemInstruction = Objects.requireNonNull(systemInstruction, "systemInstruction");
      return this;
    }

    /**
     * The typed generation settings; none by default.
     *
     * @param generationConfig the settings (temperature, token limit, stop sequences...) written into each request
     * @return this builder
     */
    public Builder generationConfig(GenerationConfig generationConfig) {
      this.generationConfig = Objects.requireNonNull(generationConfig, "generationConfig");
      return this;
    }

    /**
     * A top-level field of the request body ({@code max_completion_tokens}, {@code frequency_penalty},
     * {@code tool_choice}, {@code reasoning_effort}...), set last: it replaces what the model would write.
     *
     * @param name the field's name in the JSON body, as the server spells it
     * @param value the field's value; copied, so later changes to it are not seen
     * @return this builder
     */
    public Builder requestField(String name, JsonNode value) {
      Objects.requireNonNull(name, "name");
      requestFields.put(name, Objects.requireNonNull(value, "value").deepCopy());
      return this;
    }

    /**
     * Tools the model may call; adds to those given before.
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
     * Whether to ask for usage ({@code stream_options.include_usage}); default true. Turn off for servers that refuse it.
     *
     * @param includeUsage true to ask for a usage chunk at the end of each answer, false to ask for none
     * @return this builder
     */
    public Builder includeUsage(boolean includeUsage) {
      this.includeUsage = includeUsage;
      return this;
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
     * The longest a read may stay idle, waiting for the first byte included; default 5 minutes (a local
     * server may load the model first). A timeout is retried like a cut connection.
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
    public OpenAiChatModel build() {
      return new OpenAiChatModel(this);
    }

    private Builder copy() {
      Builder b = new Builder(model);
      b.apiKey = apiKey;
      b.environment = environment;
      b.baseUrl = baseUrl;
      b.systemInstruction = systemInstruction;
      b.generationConfig = generationConfig;
      b.requestFields.putAll(requestFields);
      b.tools.addAll(tools);
      b.includeUsage = includeUsage;
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
      return "OpenAiChatModel.Builder[model=" + model + ", baseUrl=" + baseUrl + "]";
    }
  }
}
