package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.core.functions.Tool;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One configuration for every live provider: what {@link RealtimeVoice} gives the provider it picks, and
 * what a provider built on its own ({@link RealtimeProvider#create}) takes.
 *
 * <pre>{@code
 * RealtimeConfig config = RealtimeConfig.builder()
 *     .instructions("You are a terse assistant.")
 *     .voice("Kore")
 *     .toolsFrom(new Calculator())              // every @ToolFunction method, run automatically
 *     .inputSampleRate(16000).outputSampleRate(16000)
 *     .build();
 * }</pre>
 *
 * <p><b>Voices.</b> Gemini Live: {@code Puck}, {@code Charon}, {@code Kore}, {@code Fenrir},
 * {@code Aoede}, {@code Leda}, {@code Orus}, {@code Zephyr} (the native-audio models offer about 30
 * voices in all). OpenAI Realtime: {@code alloy}, {@code ash}, {@code ballad}, {@code coral},
 * {@code echo}, {@code sage}, {@code shimmer}, {@code verse}, {@code marin}, {@code cedar}. Local:
 * {@code kevin16} (FreeTTS), its only voice. {@link RealtimeProvider#voices()} lists them at run time.
 *
 * <p><b>Settings a provider cannot honour.</b> Only what is set here is sent: a setting left unset takes
 * the provider's default. When the chosen provider cannot honour a setting that was set (the local
 * provider has no temperature, Gemini Live takes no numeric VAD threshold, OpenAI's GA API has no
 * temperature), the session reports it when it connects, never drops it silently: with
 * {@link UnsupportedSettings#FAIL} (the default) {@link RealtimeVoice#connect()} fails with a
 * {@link dev.genaiprocessors.core.error.ModelRequestException} listing every such setting; with
 * {@link UnsupportedSettings#WARN} the session goes on without them, and each is logged at WARN and given
 * to {@link RealtimeVoice.Builder#onError onError} (and emitted as an {@link RealtimeEvent.Error} first
 * in {@link RealtimeVoice#run}) as a {@code ModelRequestException}.
 *
 * <p><b>Audio formats.</b> The application's audio is 16-bit little-endian mono PCM at
 * {@link #inputSampleRate()} in and {@link #outputSampleRate()} out; the provider resamples both ways
 * to its own rates.
 *
 * <p>Immutable and thread-safe.
 */
public final class RealtimeConfig {

  /** The settings a provider may be unable to honour, as {@link #settings()} lists them. */
  public enum Setting {
    /** {@link Builder#model}. */
    MODEL,
    /** {@link Builder#voice}. */
    VOICE,
    /** {@link Builder#instructions}. */
    INSTRUCTIONS,
    /** {@link Builder#vadMode} manual. */
    MANUAL_VAD,
    /** {@link Builder#vadThreshold}. */
    VAD_THRESHOLD,
    /** {@link Builder#prefixPadding}. */
    PREFIX_PADDING,
    /** {@link Builder#silenceDuration}. */
    SILENCE_DURATION,
    /** {@link Builder#temperature}. */
    TEMPERATURE,
    /** {@link Builder#maxTokens}. */
    MAX_TOKENS,
    /** {@link Builder#tools}, {@link Builder#toolsFrom} and {@link Builder#function}. */
    TOOLS,
    /** {@link Builder#endpoint}. */
    ENDPOINT;

    /**
     * The setting's name as messages print it, such as {@code temperature}.
     *
     * @return the lower-case name
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** Who detects the user's turns. */
  public enum VadMode {
    /** The provider detects speech and ends turns by itself (the default). */
    SERVER,
    /**
     * The application ends turns with {@link RealtimeSession#commit()}; the provider's detection is off.
     */
    MANUAL
  }

  /** What a session does with settings its provider cannot honour. */
  public enum UnsupportedSettings {
    /** {@link RealtimeVoice#connect()} fails, naming them (the default). */
    FAIL,
    /** The session goes on without them; each is logged and reported to {@code onError}. */
    WARN
  }

  private final @Nullable String model;
  private final @Nullable String voice;
  private final @Nullable String instructions;
  private final VadMode vadMode;
  private final @Nullable Double vadThreshold;
  private final @Nullable Duration prefixPadding;
  private final @Nullable Duration silenceDuration;
  private final @Nullable Double temperature;
  private final @Nullable Integer maxTokens;
  private final List<Tool> tools;
  private final List<ObjectNode> functions;
  private final int inputSampleRate;
  private final int outputSampleRate;
  private final @Nullable URI endpoint;
  private final UnsupportedSettings unsupportedSettings;

  private RealtimeConfig(Builder b) {
    this.model = b.model;
    this.voice = b.voice;
    this.instructions = b.instructions;
    this.vadMode = b.vadMode;
    this.vadThreshold = b.vadThreshold;
    this.prefixPadding = b.prefixPadding;
    this.silenceDuration = b.silenceDuration;
    this.temperature = b.temperature;
    this.maxTokens = b.maxTokens;
    this.tools = List.copyOf(b.tools);
    List<ObjectNode> copies = new ArrayList<>();
    b.functions.forEach(f -> copies.add(f.deepCopy()));
    this.functions = Collections.unmodifiableList(copies);
    this.inputSampleRate = b.inputSampleRate;
    this.outputSampleRate = b.outputSampleRate;
    this.endpoint = b.endpoint;
    this.unsupportedSettings = b.unsupportedSettings;
  }

  /**
   * A builder with nothing set: the provider's model, voice and detection, 16 kHz in, 24 kHz out, no
   * tools, {@link UnsupportedSettings#FAIL}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default config: nothing set.
   *
   * @return a config with the defaults of {@link #builder()}
   */
  public static RealtimeConfig defaults() {
    return builder().build();
  }

  /**
   * The settings this config sets, for {@link RealtimeProvider#unsupported}.
   *
   * @return the settings that were set, in declaration order
   */
  public Set<Setting> settings() {
    EnumSet<Setting> set = EnumSet.noneOf(Setting.class);
    if (model != null) set.add(Setting.MODEL);
    if (voice != null) set.add(Setting.VOICE);
    if (instructions != null) set.add(Setting.INSTRUCTIONS);
    if (vadMode == VadMode.MANUAL) set.add(Setting.MANUAL_VAD);
    if (vadThreshold != null) set.add(Setting.VAD_THRESHOLD);
    if (prefixPadding != null) set.add(Setting.PREFIX_PADDING);
    if (silenceDuration != null) set.add(Setting.SILENCE_DURATION);
    if (temperature != null) set.add(Setting.TEMPERATURE);
    if (maxTokens != null) set.add(Setting.MAX_TOKENS);
    if (!tools.isEmpty() || !functions.isEmpty()) set.add(Setting.TOOLS);
    if (endpoint != null) set.add(Setting.ENDPOINT);
    return Collections.unmodifiableSet(set);
  }

  /**
   * The model.
   *
   * @return the model name, or null for the provider's default
   */
  public @Nullable String model() {
    return model;
  }

  /**
   * The model if set, else {@code fallback}.
   *
   * @param fallback the provider's default model
   * @return the model to use
   */
  public String modelOr(String fallback) {
    return model != null ? model : fallback;
  }

  /**
   * The voice.
   *
   * @return the voice name, or null for the provider's default
   */
  public @Nullable String voice() {
    return voice;
  }

  /**
   * The system instructions.
   *
   * @return the instructions, or null for none
   */
  public @Nullable String instructions() {
    return instructions;
  }

  /**
   * Who detects turns.
   *
   * @return the mode; default {@link VadMode#SERVER}
   */
  public VadMode vadMode() {
    return vadMode;
  }

  /**
   * The speech detection threshold.
   *
   * @return a value in (0, 1], or null for the provider's default
   */
  public @Nullable Double vadThreshold() {
    return vadThreshold;
  }

  /**
   * The speech needed before a start of speech is committed.
   *
   * @return the padding, or null for the provider's default
   */
  public @Nullable Duration prefixPadding() {
    return prefixPadding;
  }

  /**
   * The silence that ends the user's turn.
   *
   * @return the duration, or null for the provider's default
   */
  public @Nullable Duration silenceDuration() {
    return silenceDuration;
  }

  /**
   * The sampling temperature.
   *
   * @return the temperature, or null for the provider's default
   */
  public @Nullable Double temperature() {
    return temperature;
  }

  /**
   * The most tokens of one answer.
   *
   * @return the limit, or null for the provider's default
   */
  public @Nullable Integer maxTokens() {
    return maxTokens;
  }

  /**
   * The tools run automatically when the model calls them.
   *
   * @return the tools, in the order given
   */
  public List<Tool> tools() {
    return tools;
  }

  /**
   * Functions declared to the model but answered by {@link RealtimeVoice.Builder#onToolCall}: each a
   * declaration with {@code name}, {@code description} and {@code parameters}.
   *
   * @return copies of the declarations, in the order given
   */
  public List<ObjectNode> functions() {
    List<ObjectNode> copies = new ArrayList<>();
    functions.forEach(f -> copies.add(f.deepCopy()));
    return copies;
  }

  /**
   * Every declaration the model is given: the tools' then the functions'.
   *
   * @return the declarations ({@code name}, {@code description}, {@code parameters})
   */
  public List<ObjectNode> declarations() {
    List<ObjectNode> all = new ArrayList<>();
    tools.forEach(t -> all.add(t.declaration()));
    all.addAll(functions());
    return all;
  }

  /**
   * The rate of the application's audio in.
   *
   * @return samples per second; default 16000
   */
  public int inputSampleRate() {
    return inputSampleRate;
  }

  /**
   * The rate the application wants the model's audio at.
   *
   * @return samples per second; default 24000
   */
  public int outputSampleRate() {
    return outputSampleRate;
  }

  /**
   * The provider's endpoint, for a proxy or a local emulator.
   *
   * @return the URI, or null for the provider's own
   */
  public @Nullable URI endpoint() {
    return endpoint;
  }

  /**
   * What a session does with settings its provider cannot honour.
   *
   * @return the policy; default {@link UnsupportedSettings#FAIL}
   */
  public UnsupportedSettings unsupportedSettings() {
    return unsupportedSettings;
  }

  /**
   * A builder that starts from this config.
   *
   * @return a builder with every value of this config
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.model = model;
    b.voice = voice;
    b.instructions = instructions;
    b.vadMode = vadMode;
    b.vadThreshold = vadThreshold;
    b.prefixPadding = prefixPadding;
    b.silenceDuration = silenceDuration;
    b.temperature = temperature;
    b.maxTokens = maxTokens;
    b.tools.addAll(tools);
    b.functions.addAll(functions());
    b.inputSampleRate = inputSampleRate;
    b.outputSampleRate = outputSampleRate;
    b.endpoint = endpoint;
    b.unsupportedSettings = unsupportedSettings;
    return b;
  }

  @Override
  public String toString() {
    return "RealtimeConfig" + settings();
  }

  /** Builds a {@link RealtimeConfig}; setters check their argument at once. */
  public static final class Builder {
    private @Nullable String model;
    private @Nullable String voice;
    private @Nullable String instructions;
    private VadMode vadMode = VadMode.SERVER;
    private @Nullable Double vadThreshold;
    private @Nullable Duration prefixPadding;
    private @Nullable Duration silenceDuration;
    private @Nullable Double temperature;
    private @Nullable Integer maxTokens;
    private final List<Tool> tools = new ArrayList<>();
    private final List<ObjectNode> functions = new ArrayList<>();
    private int inputSampleRate = 16_000;
    private int outputSampleRate = 24_000;
    private @Nullable URI endpoint;
    private UnsupportedSettings unsupportedSettings = UnsupportedSettings.FAIL;

    private Builder() {}

    /**
     * The model.
     *
     * @param model the provider's model name
     * @return this builder
     */
    public Builder model(String model) {
      this.model = nonBlank(model, "model");
      return this;
    }

    /**
     * The voice, one of the provider's (listed on {@link RealtimeConfig}).
     *
     * @param voice the voice name
     * @return this builder
     */
    public Builder voice(String voice) {
      this.voice = nonBlank(voice, "voice");
      return this;
    }

    /**
     * The system instructions.
     *
     * @param instructions what the model is told before the conversation
     * @return this builder
     */
    public Builder instructions(String instructions) {
      this.instructions = nonBlank(instructions, "instructions");
      return this;
    }

    /**
     * Who detects the user's turns.
     *
     * @param mode server (default) or manual
     * @return this builder
     */
    public Builder vadMode(VadMode mode) {
      this.vadMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The speech detection threshold.
     *
     * @param threshold in (0, 1]
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder vadThreshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("vadThreshold must be in (0, 1], was " + threshold);
      }
      this.vadThreshold = threshold;
      return this;
    }

    /**
     * The speech needed before a start of speech is committed.
     *
     * @param padding positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder prefixPadding(Duration padding) {
      this.prefixPadding = positive(padding, "prefixPadding");
      return this;
    }

    /**
     * The silence that ends the user's turn.
     *
     * @param silence positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder silenceDuration(Duration silence) {
      this.silenceDuration = positive(silence, "silenceDuration");
      return this;
    }

    /**
     * The sampling temperature.
     *
     * @param temperature from 0 to 2
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder temperature(double temperature) {
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be in [0, 2], was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /**
     * The most tokens of one answer.
     *
     * @param maxTokens at least 1
     * @return this builder
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Tools the model may call, run automatically off the event loop; their results go back to the
     * model. A lambda becomes a tool with {@code Tool.of(name, description, Params.class, p -> ...)}.
     *
     * @param tools the tools
     * @return this builder
     */
    public Builder tools(Tool... tools) {
      for (Tool tool : tools) {
        this.tools.add(Objects.requireNonNull(tool, "tool"));
      }
      return this;
    }

    /**
     * Every public method of {@code target} annotated {@code @ToolFunction}, as tools run automatically
     * ({@link Tool#fromMethods}).
     *
     * @param target the object whose annotated methods become tools
     * @return this builder
     * @throws IllegalArgumentException when it has no such method
     */
    public Builder toolsFrom(Object target) {
      this.tools.addAll(Tool.fromMethods(target));
      return this;
    }

    /**
     * A function the model may call that the application answers in
     * {@link RealtimeVoice.Builder#onToolCall}.
     *
     * @param name the function's name
     * @param description what it does, for the model
     * @param parameters the JSON schema of its arguments object
     * @return this builder
     */
    public Builder function(String name, String description, ObjectNode parameters) {
      ObjectNode declaration = JsonNodeFactory.instance.objectNode();
      declaration.put("name", nonBlank(name, "name"));
      declaration.put("description", Objects.requireNonNull(description, "description"));
      declaration.set("parameters", Objects.requireNonNull(parameters, "parameters").deepCopy());
      this.functions.add(declaration);
      return this;
    }

    /**
     * The rate of the audio the application sends.
     *
     * @param rate samples per second, 8000 to 48000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder inputSampleRate(int rate) {
      this.inputSampleRate = rate(rate, "inputSampleRate");
      return this;
    }

    /**
     * The rate the application wants the model's audio at.
     *
     * @param rate samples per second, 8000 to 48000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder outputSampleRate(int rate) {
      this.outputSampleRate = rate(rate, "outputSampleRate");
      return this;
    }

    /**
     * The provider's endpoint, for a proxy or a local emulator.
     *
     * @param endpoint the URI, scheme included
     * @return this builder
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * What a session does with settings its provider cannot honour.
     *
     * @param policy fail (default) or warn
     * @return this builder
     */
    public Builder unsupportedSettings(UnsupportedSettings policy) {
      this.unsupportedSettings = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The config.
     *
     * @return an immutable config
     */
    public RealtimeConfig build() {
      return new RealtimeConfig(this);
    }

    private static String nonBlank(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }

    private static Duration positive(Duration value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }

    private static int rate(int rate, String what) {
      if (rate < 8000 || rate > 48000) {
        throw new IllegalArgumentException(what + " must be from 8000 to 48000 Hz, was " + rate);
      }
      return rate;
    }
  }
}
