package dev.genaiprocessors.offline.realtime;

import dev.genaiprocessors.audio.speech.SpeechRecognizer;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeConfig.Setting;
import dev.genaiprocessors.live.realtime.RealtimeProvider;
import dev.genaiprocessors.offline.responder.OfflineResponder;
import dev.genaiprocessors.offline.stt.SphinxRecognizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local provider for {@code RealtimeVoice}: provider {@code local}, always configured, no key and no
 * network. Registered with {@link java.util.ServiceLoader} (with the defaults); build one with
 * {@link #builder()} for another responder or recognizer and give it to
 * {@code RealtimeVoice.Builder.provider(RealtimeProvider)}.
 *
 * <p><b>Engines</b> (see {@link LocalLiveProcessor}): the energy VAD, Sphinx4 (its open-vocabulary
 * language model by default: demo quality, slower than real time), a responder, FreeTTS
 * ({@code kevin16}, 16 kHz, resampled to the config's output rate) and the audio rate limiter.
 *
 * <p><b>The config.</b> Honoured: voice {@code kevin16}, server detection (the local VAD) with threshold
 * and prefix padding (the VAD's padding window), manual detection (the application's commits cut the
 * utterances), the audio rates. The default responder is the {@link OfflineResponder} (an intent
 * matcher, not a language model), which <b>cannot honour</b> model, instructions, temperature, max
 * tokens or tools; a {@linkplain Builder#responder(Function) responder made from the config} is trusted to
 * honour them. Never honoured: silence duration (the VAD has no such setting) and endpoint.
 */
public final class LocalRealtimeProvider implements RealtimeProvider {

  /** The one voice. */
  public static final String VOICE = "kevin16";

  private static final Set<Setting> ALWAYS_UNSUPPORTED =
      EnumSet.of(Setting.SILENCE_DURATION, Setting.ENDPOINT);
  private static final Set<Setting> RESPONDER_SETTINGS =
      EnumSet.of(
          Setting.MODEL,
          Setting.INSTRUCTIONS,
          Setting.TEMPERATURE,
          Setting.MAX_TOKENS,
          Setting.TOOLS);

  private static final Logger LOG = LoggerFactory.getLogger(LocalRealtimeProvider.class);

  private final @Nullable Function<RealtimeConfig, Processor> responder;
  private final Supplier<SpeechRecognizer> recognizer;
  private final boolean warmUp;

  /** The provider with the defaults: the offline responder and Sphinx4's language model. */
  public LocalRealtimeProvider() {
    this(builder());
  }

  private LocalRealtimeProvider(Builder b) {
    this.responder = b.responder;
    this.recognizer = b.recognizer;
    this.warmUp = b.warmUp;
  }

  /**
   * A builder with the defaults of {@link #LocalRealtimeProvider()}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code local}
   */
  @Override
  public String name() {
    return "local";
  }

  /**
   * {@inheritDoc}
   *
   * @return none: the local provider is always configured
   */
  @Override
  public List<String> environmentVariables() {
    return List.of();
  }

  /**
   * {@inheritDoc}
   *
   * @return {@value #VOICE}
   */
  @Override
  public List<String> voices() {
    return List.of(VOICE);
  }

  /**
   * {@inheritDoc}
   *
   * @return silence duration and endpoint; with the default responder also model, instructions,
   *     temperature, max tokens and tools
   */
  @Override
  public Set<Setting> unsupportedSettings() {
    EnumSet<Setting> unsupported = EnumSet.copyOf(ALWAYS_UNSUPPORTED);
    if (responder == null) {
      unsupported.addAll(RESPONDER_SETTINGS);
    }
    return unsupported;
  }

  /**
   * {@inheritDoc}
   *
   * @param config the config
   * @param env not read: the local provider needs nothing from the environment
   * @return a {@link LocalLiveProcessor}, warming up in the background when {@link Builder#warmUp(boolean)}
   *     asked for it
   */
  @Override
  public LiveProcessor create(RealtimeConfig config, Map<String, String> env) {
    Processor turns =
        responder != null
            ? Objects.requireNonNull(responder.apply(config), "the responder factory returned null")
            : OfflineResponder.builder().build();
    LocalLiveProcessor live = new LocalLiveProcessor(config, turns, recognizer.get());
    if (warmUp) {
      live.warmUp()
          .subscribe(
              null,
              e ->
                  LOG.warn(
                      "The local engines could not warm up; the conversation will say why", e));
    }
    return live;
  }

  /** Builds a {@link LocalRealtimeProvider}. */
  public static final class Builder {
    private @Nullable Function<RealtimeConfig, Processor> responder;
    private Supplier<SpeechRecognizer> recognizer = SphinxRecognizer::languageModel;
    private boolean warmUp;

    private Builder() {}

    /**
     * The turn-based model that answers, made from the config for each session: any processor that
     * takes a finite prompt and streams its answer (a {@code GeminiModel}, a rule-based responder). It
     * may answer with function calls; their results come back as a new prompt. It is trusted to honour
     * model, instructions, temperature, max tokens and tools. Default: the {@link OfflineResponder}.
     *
     * @param responder makes the model from the config
     * @return this builder
     */
    public Builder responder(Function<RealtimeConfig, Processor> responder) {
      this.responder = Objects.requireNonNull(responder, "responder");
      return this;
    }

    /**
     * The speech recognizer, made for each session; default Sphinx4's open-vocabulary language model
     * (which loads nothing until it hears speech).
     *
     * @param recognizer makes the recognizer
     * @return this builder
     */
    public Builder recognizer(Supplier<SpeechRecognizer> recognizer) {
      this.recognizer = Objects.requireNonNull(recognizer, "recognizer");
      return this;
    }

    /**
     * Whether each processor {@link #create} makes starts {@linkplain LocalLiveProcessor#warmUp() warming
     * up} its engines at once, in the background (default false: they load when first used, and the
     * first answer waits about 3 s for Sphinx4 and 1 s for the responder's model). Create the processor
     * at start-up, before the users come, for this to pay. A failed warm-up is logged at WARN; the
     * conversation then fails with the same error.
     *
     * @param warmUp true to warm the engines up when a processor is created
     * @return this builder
     */
    public Builder warmUp(boolean warmUp) {
      this.warmUp = warmUp;
      return this;
    }

    /**
     * The provider.
     *
     * @return the provider
     */
    public LocalRealtimeProvider build() {
      return new LocalRealtimeProvider(this);
    }
  }
}
