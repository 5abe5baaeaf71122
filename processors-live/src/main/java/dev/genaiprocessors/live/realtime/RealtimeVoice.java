package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.live.ConversationState;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.metrics.RealTimeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A real-time voice conversation in one object: a live provider picked for you, callbacks for what the
 * model says, a session to send audio and text into. No {@code Flux} needed; the stream form is there
 * for those who want it ({@link #run}).
 *
 * <pre>{@code
 * RealtimeVoice voice = RealtimeVoice.builder()
 *     .config(RealtimeConfig.builder().instructions("Be brief.").toolsFrom(new Calculator()).build())
 *     .onAudio(speaker::play)
 *     .onTranscript((text, isFinal, speaker) -> { if (isFinal) System.out.println(speaker + ": " + text); })
 *     .build();                                 // OpenAI, Gemini or the local provider: whichever is set up
 * try (RealtimeSession session = voice.connect()) {
 *   session.sendText("What is 12 times 7?");
 * }
 * }</pre>
 *
 * <p><b>Providers</b> are found on the classpath with {@link ServiceLoader} ({@link RealtimeProvider}):
 * processors-gemini registers {@code gemini}, processors-openai {@code openai}, processors-offline
 * {@code local} (no key, no network). With none named, the first configured one wins, in this order:
 * {@code openai} ({@code OPENAI_API_KEY}), {@code gemini} ({@code GEMINI_API_KEY} or
 * {@code GOOGLE_API_KEY}), {@code local}, then any other in name order. {@link Builder#provider(String)}
 * overrides the order: a named provider that is not configured is a
 * {@link dev.genaiprocessors.core.error.ModelAuthenticationException} naming the variable to set, and an
 * unknown name an {@link IllegalArgumentException} listing the available ones. The environment is
 * {@code System.getenv()} unless {@link Builder#environment} gives another.
 *
 * <p><b>Callbacks</b> run off the event loop, on one thread of {@code Schedulers.boundedElastic()} per
 * session, one at a time, in event order; they may block (a slow callback holds back the events that
 * follow, and through backpressure the provider). A callback that throws is reported to
 * {@code onError} and the session goes on. {@code onToolCall} runs on its own, on
 * {@code boundedElastic}, so a slow function never holds the audio back; so do the config's tools.
 *
 * <p><b>Errors</b> are the live contract's: a {@link ModelException}, whose subtype says what to do (a
 * {@code ModelConnectionException} when the connection failed). An error of the provider ends the
 * session and goes to {@code onError}; {@link #connect()} throws it when it happens before the setup is
 * complete.
 *
 * <p>Immutable and thread-safe: one {@code RealtimeVoice} can open many sessions.
 */
public final class RealtimeVoice {
  private static final Logger LOG = LoggerFactory.getLogger(RealtimeVoice.class);

  /** The selection order of the providers this library knows; others follow in name order. */
  static final List<String> ORDER = List.of("openai", "gemini", "local");

  private final RealtimeProvider provider;
  private final RealtimeConfig config;
  private final Map<String, String> env;
  private final Callbacks callbacks;
  private final @Nullable Function<RealtimeEvent.ToolCallRequest, ?> onToolCall;
  private final @Nullable MeterRegistry registry;

  /** Numbers the sessions of every voice, for their metrics' conversation names. */
  private static final AtomicLong SESSIONS = new AtomicLong();

  /** The first configured provider in {@code System.getenv()}, with the default config and no callbacks. */
  public RealtimeVoice() {
    this(builder());
  }

  /**
   * The first configured provider in {@code System.getenv()}, with this config and no callbacks.
   *
   * @param config the config
   */
  public RealtimeVoice(RealtimeConfig config) {
    this(builder().config(config));
  }

  private RealtimeVoice(Builder b) {
    this.config = b.config;
    this.env = Map.copyOf(b.env);
    this.provider = b.providerInstance != null ? b.providerInstance : select(b.providerName, env);
    this.callbacks =
        new Callbacks(b.onAudio, b.onTranscript, b.onError, b.onInterrupted, b.onStateChange);
    this.onToolCall = b.onToolCall;
    this.registry = b.registry;
  }

  /**
   * A builder: default config, {@code System.getenv()}, the provider by the selection order, no callbacks.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The names of the providers on the classpath, in selection order.
   *
   * @return the names
   */
  public static List<String> availableProviders() {
    return providers().stream().map(RealtimeProvider::name).toList();
  }

  /**
   * The names of the providers configured in {@code System.getenv()}, in selection order.
   *
   * @return the names
   */
  public static List<String> configuredProviders() {
    return configuredProviders(System.getenv());
  }

  /**
   * The names of the providers configured in this environment, in selection order.
   *
   * @param env the environment
   * @return the names
   */
  public static List<String> configuredProviders(Map<String, String> env) {
    return providers().stream()
        .filter(p -> p.isConfigured(env))
        .map(RealtimeProvider::name)
        .toList();
  }

  /**
   * The provider this voice talks to.
   *
   * @return the provider's name
   */
  public String provider() {
    return provider.name();
  }

  /**
   * The config.
   *
   * @return the config sessions use
   */
  public RealtimeConfig config() {
    return config;
  }

  /**
   * Opens a session and returns it once the provider's setup is complete. Blocks: never call it on a
   * Reactor non-blocking thread (it throws there); use {@link #connectAsync()} instead. A provider that
   * does not {@linkplain RealtimeProvider#announcesSetup() announce} its setup (the local provider has
   * none; Gemini Live's {@code setupComplete} may be an empty message the contract has no part for)
   * returns as soon as the session is opened: what is sent waits in the provider until its setup is
   * done, and a setup that fails goes to {@code onError}.
   *
   * @return the connected session
   * @throws IllegalStateException when called on a non-blocking thread
   * @throws ModelException when the provider cannot honour a setting (see {@link RealtimeConfig}), or
   *     the connection or setup failed
   */
  public RealtimeSession connect() {
    if (Schedulers.isInNonBlockingThread()) {
      throw new IllegalStateException(
          "RealtimeVoice.connect() blocks and was called on the non-blocking thread "
              + Thread.currentThread().getName()
              + "; use connectAsync() there");
    }
    return Objects.requireNonNull(connectAsync().block());
  }

  /**
   * Opens a session when subscribed; emits it once the provider's setup is complete. Never blocks.
   * Cancelling before then closes the session.
   *
   * @return the session, or a {@link ModelException} as {@link #connect()} throws
   */
  public Mono<RealtimeSession> connectAsync() {
    return Mono.defer(
        () -> {
          List<String> problems = provider.unsupported(config);
          ModelException unsupported = unsupportedError(problems);
          if (unsupported != null
              && config.unsupportedSettings() == RealtimeConfig.UnsupportedSettings.FAIL) {
            return Mono.error(unsupported);
          }
          RealTimeMetrics metrics =
              RealTimeMetrics.builder()
                  .registry(registry)
                  .conversation(provider.name() + "-" + SESSIONS.incrementAndGet())
                  .build();
          LiveProcessor live = metrics.observe(provider.create(config, env));
          RealtimeSession session =
              new RealtimeSession(
                  provider.name(),
                  config.inputSampleRate(),
                  config.vadMode() == RealtimeConfig.VadMode.MANUAL,
                  metrics);
          Sinks.One<RealtimeSession> ready = Sinks.one();
          Flux<RealtimeEvent> events =
              Conversation.events(
                  provider,
                  live,
                  config,
                  onToolCall,
                  callbacks::error,
                  () -> ready.tryEmitValue(session),
                  session.input());
          if (unsupported != null) {
            LOG.warn("{}", unsupported.getMessage());
            events =
                Flux.<RealtimeEvent>just(new RealtimeEvent.Error(unsupported)).concatWith(events);
          }
          session.events(
              events
                  // Callbacks may block: one boundedElastic worker per session, in event order;
                  // at most 256 events wait for a slow callback (then backpressure reaches the
                  // provider).
                  .publishOn(Schedulers.boundedElastic(), 256)
                  .doOnNext(
                      event -> {
                        // The warning of an unsupported setting does not end the session.
                        if (event instanceof RealtimeEvent.Error error
                            && error.error() != unsupported) {
                          session.ended();
                          ready.tryEmitError(error.error());
                        }
                      })
                  .doOnComplete(
                      () -> {
                        session.ended();
                        ready.tryEmitError(
                            ModelException.builder(
                                    ModelException.Kind.CONNECTION,
                                    provider.name(),
                                    "the "
                                        + provider.name()
                                        + " session ended before its setup was complete")
                                .build());
                      })
                  .subscribe(callbacks::dispatch, callbacks::error));
          return ready.asMono().doOnCancel(session::close);
        });
  }

  /**
   * The stream form: the microphone's audio in (16-bit mono PCM at the config's input rate, in pieces
   * of any size, gathered into 100 to 200 ms chunks), the session's events out. Tools of the config and
   * {@code onToolCall} answer function calls as in a session; the callbacks of this voice are not called.
   * The end of the microphone ends the user's turn (an end-of-speech part in manual mode, else an
   * audio-stream-end part).
   * The events complete when the provider has answered after the microphone ends (an error is the last
   * event); cancelling closes the connection. Never blocks; events are emitted on the provider's thread,
   * so a subscriber that blocks must {@code publishOn} a scheduler that may block.
   *
   * @param microphone the user's audio
   * @return the events, in the provider's order; a setting the provider cannot honour fails them with
   *     the {@link ModelException} of {@link #connect()} (or comes first as an error event under WARN)
   */
  public Flux<RealtimeEvent> run(Flux<byte[]> microphone) {
    Objects.requireNonNull(microphone, "microphone");
    return Flux.defer(
        () -> {
          ModelException unsupported = unsupportedError(provider.unsupported(config));
          if (unsupported != null
              && config.unsupportedSettings() == RealtimeConfig.UnsupportedSettings.FAIL) {
            return Flux.error(unsupported);
          }
          boolean manual = config.vadMode() == RealtimeConfig.VadMode.MANUAL;
          int rate = config.inputSampleRate();
          Flux<Part> audio =
              Flux.defer(
                  () -> {
                    AudioChunker chunker = new AudioChunker(rate);
                    return microphone
                        .concatMapIterable(chunker::add)
                        .concatWith(Mono.fromSupplier(chunker::flush).filter(b -> b.length > 0))
                        .map(pcm -> Part.audio(pcm, rate).withRole("user"));
                  });
          // The end of the microphone ends the user's turn: an end of speech in manual mode, the
          // end of the audio stream with the provider's detection.
          audio =
              manual
                  ? Flux.just(Part.startOfSpeech())
                      .concatWith(audio)
                      .concatWithValues(Part.endOfSpeech())
                  : audio.concatWithValues(Part.audioStreamEnd());
          Flux<RealtimeEvent> events =
              Conversation.events(
                  provider,
                  provider.create(config, env),
                  config,
                  onToolCall,
                  callbacks::error,
                  () -> {},
                  audio);
          return unsupported == null
              ? events
              : Flux.<RealtimeEvent>just(new RealtimeEvent.Error(unsupported)).concatWith(events);
        });
  }

  @Override
  public String toString() {
    return "RealtimeVoice[" + provider.name() + ", " + config + "]";
  }

  private @Nullable ModelException unsupportedError(List<String> problems) {
    if (problems.isEmpty()) {
      return null;
    }
    String them = problems.size() == 1 ? "it" : "them";
    String advice =
        config.unsupportedSettings() == RealtimeConfig.UnsupportedSettings.WARN
            ? ". The session goes on without " + them + " (unsupportedSettings(WARN))"
            : ". Leave "
                + them
                + " out of the RealtimeConfig, choose another provider, or set"
                + " unsupportedSettings(WARN) to go on without "
                + them;
    return ModelException.builder(
            ModelException.Kind.REQUEST, provider.name(), String.join("; ", problems) + advice)
        .build();
  }

  static List<RealtimeProvider> providers() {
    List<RealtimeProvider> found = new ArrayList<>();
    ServiceLoader.load(RealtimeProvider.class, RealtimeVoice.class.getClassLoader())
        .forEach(found::add);
    found.sort(
        Comparator.comparingInt(
                (RealtimeProvider p) ->
                    ORDER.indexOf(p.name()) < 0 ? ORDER.size() : ORDER.indexOf(p.name()))
            .thenComparing(RealtimeProvider::name));
    return found;
  }

  static RealtimeProvider select(@Nullable String name, Map<String, String> env) {
    List<RealtimeProvider> all = providers();
    List<String> names = all.stream().map(RealtimeProvider::name).toList();
    if (name != null) {
      String wanted = name.toLowerCase(Locale.ROOT);
      RealtimeProvider named =
          all.stream()
              .filter(p -> p.name().equals(wanted))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no realtime provider named '"
                              + name
                              + "' on the classpath; available: "
                              + names
                              + " (add the provider's module, such as processors-openai, to use it)"));
      if (!named.isConfigured(env)) {
        throw ModelException.builder(
                ModelException.Kind.AUTHENTICATION,
                named.name(),
                "the realtime provider '"
                    + named.name()
                    + "' is not configured: set "
                    + String.join(" or ", named.environmentVariables()))
            .build();
      }
      return named;
    }
    return all.stream()
        .filter(p -> p.isConfigured(env))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no realtime provider is configured; available: "
                        + names
                        + ". Set OPENAI_API_KEY or GEMINI_API_KEY, or add processors-offline for the"
                        + " local provider, which needs no key"));
  }

  /** Builds a {@link RealtimeVoice}; setters check their argument at once, {@link #build()} picks the provider. */
  public static final class Builder {
    private RealtimeConfig config = RealtimeConfig.defaults();
    private Map<String, String> env = System.getenv();
    private @Nullable String providerName;
    private @Nullable RealtimeProvider providerInstance;
    private @Nullable Consumer<byte[]> onAudio;
    private @Nullable TranscriptListener onTranscript;
    private @Nullable Consumer<Throwable> onError;
    private @Nullable Runnable onInterrupted;
    private @Nullable Consumer<ConversationState> onStateChange;
    private @Nullable Function<RealtimeEvent.ToolCallRequest, ?> onToolCall;
    private @Nullable MeterRegistry registry;

    private Builder() {}

    /**
     * Measures each session of {@link #connect()} with {@link RealTimeMetrics}, as a conversation named
     * {@code <provider>-<n>}, for {@link RealtimeSession#report()}; closing the session removes its
     * meters from the registry. Default none: nothing is measured, at no cost.
     *
     * @param registry where to record (Micrometer's {@code micrometer-core} on the classpath), or null
     * @return this builder
     */
    public Builder metrics(@Nullable MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * The config.
     *
     * @param config the config; default {@link RealtimeConfig#defaults()}
     * @return this builder
     */
    public Builder config(RealtimeConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The provider, by name, over the selection order.
     *
     * @param name {@code openai}, {@code gemini}, {@code local}, or another registered name
     * @return this builder
     */
    public Builder provider(String name) {
      this.providerName = Objects.requireNonNull(name, "name");
      this.providerInstance = null;
      return this;
    }

    /**
     * This provider instance, over the selection order and whether it is configured (for a provider
     * built with its own options, such as a local provider with another responder).
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder provider(RealtimeProvider provider) {
      this.providerInstance = Objects.requireNonNull(provider, "provider");
      this.providerName = null;
      return this;
    }

    /**
     * The environment keys are read from.
     *
     * @param env the variables; default {@code System.getenv()}
     * @return this builder
     */
    public Builder environment(Map<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    /**
     * Receives the model's audio: 16-bit little-endian mono PCM at the config's output rate.
     *
     * @param onAudio the callback
     * @return this builder
     */
    public Builder onAudio(Consumer<byte[]> onAudio) {
      this.onAudio = Objects.requireNonNull(onAudio, "onAudio");
      return this;
    }

    /**
     * Receives transcripts of both sides: deltas, then the whole utterance with {@code isFinal} true.
     *
     * @param onTranscript the callback
     * @return this builder
     */
    public Builder onTranscript(TranscriptListener onTranscript) {
      this.onTranscript = Objects.requireNonNull(onTranscript, "onTranscript");
      return this;
    }

    /**
     * Answers function calls that no tool of the config answers: its return value (any value Jackson can
     * write; a {@code JsonNode} as it is) goes back to the model; if it throws, the model gets the error
     * message and {@code onError} the exception. Runs on {@code Schedulers.boundedElastic()}, apart from
     * the other callbacks; calls may overlap.
     *
     * @param onToolCall the handler
     * @return this builder
     */
    public Builder onToolCall(Function<RealtimeEvent.ToolCallRequest, ?> onToolCall) {
      this.onToolCall = Objects.requireNonNull(onToolCall, "onToolCall");
      return this;
    }

    /**
     * Receives errors: the provider's ({@link ModelException}, after which the session is over), a
     * setting reported under WARN, and exceptions thrown by the other callbacks (the session goes on).
     *
     * @param onError the callback
     * @return this builder
     */
    public Builder onError(Consumer<Throwable> onError) {
      this.onError = Objects.requireNonNull(onError, "onError");
      return this;
    }

    /**
     * Called when the model's answer was cut short: drop the audio queued for playback.
     *
     * @param onInterrupted the callback
     * @return this builder
     */
    public Builder onInterrupted(Runnable onInterrupted) {
      this.onInterrupted = Objects.requireNonNull(onInterrupted, "onInterrupted");
      return this;
    }

    /**
     * Receives the conversation's changes of state (idle, listening, processing, speaking, interrupted),
     * derived the same way for every provider from its parts by a
     * {@link dev.genaiprocessors.live.state.ConversationStateMachine}; in the stream form they are
     * {@link RealtimeEvent.StateChanged} events.
     *
     * @param onStateChange the callback, called with each state entered
     * @return this builder
     */
    public Builder onStateChange(Consumer<ConversationState> onStateChange) {
      this.onStateChange = Objects.requireNonNull(onStateChange, "onStateChange");
      return this;
    }

    /**
     * The voice, with its provider picked now.
     *
     * @return the voice
     * @throws IllegalArgumentException when the named provider is not on the classpath
     * @throws dev.genaiprocessors.core.error.ModelAuthenticationException when the named provider is not
     *     configured
     * @throws IllegalStateException when no provider is configured
     */
    public RealtimeVoice build() {
      return new RealtimeVoice(this);
    }
  }
}
