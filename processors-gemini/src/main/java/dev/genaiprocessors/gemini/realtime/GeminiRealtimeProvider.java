package dev.genaiprocessors.gemini.realtime;

import dev.genaiprocessors.audio.Resample;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.gemini.live.ActivityDetection;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gemini Live for {@code RealtimeVoice}: provider {@code gemini}, configured by {@code GOOGLE_API_KEY} or
 * {@code GEMINI_API_KEY}. Registered with {@link java.util.ServiceLoader}.
 *
 * <p><b>The config on Gemini Live.</b> Model (default {@value #DEFAULT_MODEL}), voice (one of
 * {@link #voices()}), instructions, temperature, max tokens ({@code maxOutputTokens}), tools (as BLOCKING
 * functions), server detection with prefix padding and silence duration, or manual detection
 * ({@code activityStart}/{@code activityEnd}), and the endpoint (for the emulator) all map onto
 * {@link GeminiLiveProcessor}. Responses are audio, with both transcriptions on. <b>Not honoured</b>:
 * {@link RealtimeConfig.Setting#VAD_THRESHOLD} (the API takes only HIGH/LOW sensitivities), and a voice
 * not in {@link #voices()}.
 *
 * <p><b>Audio.</b> The processor resamples the application's audio to 16 kHz; the model's 24 kHz audio
 * is resampled here to the config's output rate.
 *
 * <p><b>Setup.</b> The provider {@linkplain #announcesSetup() announces} the end of its setup: the
 * processor marks the first {@code setupComplete} with the contract's
 * {@link LiveParts.SessionEvent#STARTED} session event (even when the server's {@code setupComplete} is an
 * empty {@code {}}), so {@code RealtimeVoice.connect()} returns once the session takes input; a failed
 * setup fails the connect.
 *
 * <p>Direct use, without the facade: {@code new GeminiRealtimeProvider().create(config, System.getenv())}
 * is a {@link LiveProcessor} like any other.
 */
public final class GeminiRealtimeProvider implements RealtimeProvider {

  /** The model used when the config names none. */
  public static final String DEFAULT_MODEL = "gemini-2.5-flash-native-audio-preview-12-2025";

  private static final List<String> VOICES =
      List.of(
          "Zephyr",
          "Puck",
          "Charon",
          "Kore",
          "Fenrir",
          "Leda",
          "Orus",
          "Aoede",
          "Callirrhoe",
          "Autonoe",
          "Enceladus",
          "Iapetus",
          "Umbriel",
          "Algieba",
          "Despina",
          "Erinome",
          "Algenib",
          "Rasalgethi",
          "Laomedeia",
          "Achernar",
          "Alnilam",
          "Schedar",
          "Gacrux",
          "Pulcherrima",
          "Achird",
          "Zubenelgenubi",
          "Vindemiatrix",
          "Sadachbia",
          "Sadaltager",
          "Sulafat");

  /** A provider; stateless. */
  public GeminiRealtimeProvider() {}

  /**
   * {@inheritDoc}
   *
   * @return {@code gemini}
   */
  @Override
  public String name() {
    return "gemini";
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code GOOGLE_API_KEY}, {@code GEMINI_API_KEY}
   */
  @Override
  public List<String> environmentVariables() {
    return GeminiModel.API_KEY_VARIABLES;
  }

  /**
   * {@inheritDoc}
   *
   * @return the 30 prebuilt voices of the Live API
   */
  @Override
  public List<String> voices() {
    return VOICES;
  }

  /**
   * {@inheritDoc}
   *
   * @return the numeric VAD threshold
   */
  @Override
  public Set<RealtimeConfig.Setting> unsupportedSettings() {
    return Set.of(RealtimeConfig.Setting.VAD_THRESHOLD);
  }

  /**
   * {@inheritDoc}
   *
   * @param config the config
   * @param env the environment with the key
   * @return a {@link GeminiLiveProcessor} with the config, whose audio comes out at the config's output
   *     rate
   */
  /**
   * {@inheritDoc}
   *
   * @return true: the processor marks its first {@code setupComplete}
   */
  @Override
  public boolean announcesSetup() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * @param part a part of the processor's output
   * @return true for the part with the {@link LiveParts.SessionEvent#STARTED} session event
   */
  @Override
  public boolean isSetupComplete(Part part) {
    return LiveParts.sessionEventOf(part)
        .filter(e -> e == LiveParts.SessionEvent.STARTED)
        .isPresent();
  }

  @Override
  public LiveProcessor create(RealtimeConfig config, Map<String, String> env) {
    String key = null;
    for (String name : environmentVariables()) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        key = value;
        break;
      }
    }
    if (key == null) {
      throw new IllegalStateException(
          "the gemini realtime provider needs a key: set "
              + String.join(" or ", environmentVariables()));
    }
    GeminiLiveProcessor.Builder b =
        GeminiLiveProcessor.builder()
            .apiKey(key)
            .model(config.modelOr(DEFAULT_MODEL))
            .responseModalities(GeminiLiveProcessor.Modality.AUDIO)
            .inputTranscription(true)
            .outputTranscription(true);
    if (config.endpoint() != null) {
      b.uri(config.endpoint());
    }
    if (config.voice() != null && VOICES.contains(config.voice())) {
      b.voice(config.voice());
    }
    if (config.instructions() != null) {
      b.systemInstruction(config.instructions());
    }
    if (config.temperature() != null) {
      b.temperature(config.temperature());
    }
    if (config.maxTokens() != null) {
      b.maxOutputTokens(config.maxTokens());
    }
    for (ObjectNode declaration : config.declarations()) {
      b.functionDeclaration(declaration, false);
    }
    if (config.vadMode() == RealtimeConfig.VadMode.MANUAL) {
      b.activityDetection(ActivityDetection.manual());
    } else if (config.prefixPadding() != null || config.silenceDuration() != null) {
      ActivityDetection detection = ActivityDetection.automatic();
      if (config.prefixPadding() != null) {
        detection = detection.withPrefixPadding(config.prefixPadding());
      }
      if (config.silenceDuration() != null) {
        detection = detection.withSilenceDuration(config.silenceDuration());
      }
      b.activityDetection(detection);
    }
    return new AtOutputRate(b.build(), config.outputSampleRate());
  }

  /** Gemini Live with its audio resampled to the application's rate. */
  private record AtOutputRate(GeminiLiveProcessor live, int outputRate) implements LiveProcessor {
    @Override
    public Flux<Part> apply(Flux<Part> input) {
      Flux<Part> out = live.apply(input);
      // Resampled turn by turn, so no audio of a turn comes after its end part.
      return outputRate == live.outputSampleRate()
          ? out
          : out.transform(Resample.perTurn(outputRate));
    }

    @Override
    public String provider() {
      return live.provider();
    }

    @Override
    public int inputSampleRate() {
      return live.inputSampleRate();
    }

    @Override
    public int outputSampleRate() {
      return outputRate;
    }

    @Override
    public String toString() {
      return live.toString();
    }
  }
}
