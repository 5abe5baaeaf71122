package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.audio.Resample;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI Realtime (GA) for {@code RealtimeVoice}: provider {@code openai}, configured by
 * {@value OpenAiRealtimeProcessor#API_KEY_VARIABLE}. Registered with {@link java.util.ServiceLoader}.
 *
 * <p><b>The config on OpenAI Realtime.</b> Model (default {@value #DEFAULT_MODEL}), voice (one of
 * {@link #voices()}: {@code alloy}, {@code ash}, {@code ballad}, {@code coral}, {@code echo},
 * {@code sage}, {@code shimmer}, {@code verse}, {@code marin}, {@code cedar}), instructions, max tokens
 * ({@code max_output_tokens}, 1 to 4096), tools and functions (declared in {@code session.tools}; the
 * facade runs the tools and answers the functions), server VAD with threshold, prefix padding and
 * silence duration, or manual turns ({@code turn_detection: null}; the end of the user's speech,
 * which the facade's {@code commit()} sends, becomes {@code input_audio_buffer.commit} then
 * {@code response.create}), and the endpoint (for the emulator)
 * all map onto {@link OpenAiRealtimeProcessor}. Responses are audio with their transcript; the user's
 * audio is transcribed with {@value #INPUT_TRANSCRIPTION_MODEL}. <b>Not honoured</b>:
 * {@link RealtimeConfig.Setting#TEMPERATURE} (the GA API has no temperature), and a voice not in
 * {@link #voices()}.
 *
 * <p><b>Audio.</b> The processor resamples the application's audio to 24 kHz; the model's 24 kHz audio is
 * resampled here to the config's output rate, turn by turn, so no audio of a turn follows its end part.
 *
 * <p><b>Setup.</b> The processor sends its {@code session.update} first on the connection, before any
 * input, so the session is ready as soon as it is subscribed: the provider does not
 * {@linkplain #announcesSetup() announce} its setup, and a refused session fails the output (and the
 * facade's callbacks) with the processor's typed error.
 *
 * <p>Direct use, without the facade: {@code new OpenAiRealtimeProvider().create(config, System.getenv())}
 * is a {@link LiveProcessor} like any other.
 */
public final class OpenAiRealtimeProvider implements RealtimeProvider {

  /** The model used when the config names none. */
  public static final String DEFAULT_MODEL = "gpt-realtime";

  /** The model that transcribes the user's audio. */
  public static final String INPUT_TRANSCRIPTION_MODEL = "gpt-4o-mini-transcribe";

  private static final List<String> VOICES =
      List.of(
          "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar");

  /** A provider; stateless. */
  public OpenAiRealtimeProvider() {}

  /**
   * {@inheritDoc}
   *
   * @return {@code openai}
   */
  @Override
  public String name() {
    return "openai";
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code OPENAI_API_KEY}
   */
  @Override
  public List<String> environmentVariables() {
    return List.of(OpenAiRealtimeProcessor.API_KEY_VARIABLE);
  }

  /**
   * {@inheritDoc}
   *
   * @return the ten voices of the GA API: {@code alloy}, {@code ash}, {@code ballad}, {@code coral},
   *     {@code echo}, {@code sage}, {@code shimmer}, {@code verse}, {@code marin}, {@code cedar}
   */
  @Override
  public List<String> voices() {
    return VOICES;
  }

  /**
   * {@inheritDoc}
   *
   * @return the temperature, which the GA API does not take
   */
  @Override
  public Set<RealtimeConfig.Setting> unsupportedSettings() {
    return Set.of(RealtimeConfig.Setting.TEMPERATURE);
  }

  /**
   * {@inheritDoc} Also max tokens above the API's 4096.
   *
   * @param config the config
   * @return the problems
   */
  @Override
  public List<String> unsupported(RealtimeConfig config) {
    List<String> problems = new ArrayList<>(RealtimeProvider.super.unsupported(config));
    Integer maxTokens = config.maxTokens();
    if (maxTokens != null && maxTokens > 4096) {
      problems.add(
          "provider 'openai' takes max tokens from 1 to 4096, was "
              + maxTokens
              + " (leave it unset for no limit but the model's)");
    }
    return problems;
  }

  /**
   * {@inheritDoc}
   *
   * @param config the config
   * @param env the environment with the key
   * @return an {@link OpenAiRealtimeProcessor} with the config, whose audio comes out at the config's
   *     output rate
   */
  @Override
  public LiveProcessor create(RealtimeConfig config, Map<String, String> env) {
    String key = env.get(OpenAiRealtimeProcessor.API_KEY_VARIABLE);
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(
          "the openai realtime provider needs a key: set "
              + OpenAiRealtimeProcessor.API_KEY_VARIABLE);
    }
    OpenAiRealtimeBuilder b =
        OpenAiRealtimeProcessor.builder()
            .apiKey(key)
            .model(config.modelOr(DEFAULT_MODEL))
            .textOutput(false)
            .inputTranscription(INPUT_TRANSCRIPTION_MODEL, null, null);
    if (config.endpoint() != null) {
      b.uri(config.endpoint());
    }
    if (config.voice() != null && VOICES.contains(config.voice())) {
      b.voice(config.voice());
    }
    if (config.instructions() != null) {
      b.instructions(config.instructions());
    }
    Integer maxTokens = config.maxTokens();
    if (maxTokens != null && maxTokens >= 1 && maxTokens <= 4096) {
      b.maxOutputTokens(maxTokens);
    }
    List<Tool> declared = new ArrayList<>(config.tools());
    for (ObjectNode function : config.functions()) {
      declared.add(answeredByTheApplication(function));
    }
    if (!declared.isEmpty()) {
      b.tools(declared.toArray(Tool[]::new));
    }
    b.turnDetection(turnDetection(config));
    return new AtOutputRate(
        b.build(), config.outputSampleRate(), config.vadMode() == RealtimeConfig.VadMode.MANUAL);
  }

  private static TurnDetection turnDetection(RealtimeConfig config) {
    if (config.vadMode() == RealtimeConfig.VadMode.MANUAL) {
      return TurnDetection.none();
    }
    TurnDetection.ServerVad vad = TurnDetection.serverVad();
    if (config.vadThreshold() != null) {
      vad = vad.threshold(config.vadThreshold());
    }
    if (config.prefixPadding() != null) {
      vad = vad.prefixPadding(config.prefixPadding());
    }
    if (config.silenceDuration() != null) {
      vad = vad.silenceDuration(config.silenceDuration());
    }
    return vad;
  }

  /**
   * A function of the config as a declaration for {@code session.tools}. The processor only declares its
   * tools and never invokes them; the facade answers the call through {@code onToolCall}.
   */
  private static Tool answeredByTheApplication(ObjectNode declaration) {
    String name = declaration.path("name").asString();
    return Tool.of(
        name,
        declaration.path("description").asString(""),
        declaration.get("parameters") instanceof ObjectNode p
            ? p
            : declaration.objectNode().put("type", "object"),
        args -> {
          throw new IllegalStateException(
              "function '" + name + "' is answered by the application's onToolCall, not by a tool");
        });
  }

  /**
   * OpenAI Realtime with its audio resampled to the application's rate, and the facade's user messages
   * (which carry the end of turn) sent as plain messages. With manual turns, the end of the
   * user's speech ends the turn: the facade's {@code commit()} means "answer what was said", which on
   * OpenAI is a commit followed by a response ({@code Part.endOfTurn()}), where the processor takes
   * {@code Part.endOfSpeech()} as a commit alone.
   */
  private record AtOutputRate(OpenAiRealtimeProcessor live, int outputRate, boolean manualTurns)
      implements LiveProcessor {
    @Override
    public Flux<Part> apply(Flux<Part> input) {
      Flux<Part> in = input.map(this::forOpenAi);
      Flux<Part> out = live.apply(in);
      // Resampled turn by turn, so no audio of a turn comes after its end part.
      return outputRate == live.outputSampleRate()
          ? out
          : out.transform(Resample.perTurn(outputRate));
    }

    /**
     * A user message that also ends the turn (as the facade sends it) goes as a plain message: the
     * processor answers a message with a response, and would otherwise take the part as a bare end of
     * turn, which asks nothing of the server under server VAD.
     */
    private Part forOpenAi(Part p) {
      if (manualTurns && p.isEndOfSpeech()) {
        return Part.endOfTurn();
      }
      if (p.isEndOfTurn() && p.isText() && !p.text().isEmpty()) {
        return p.withoutMetadata(PartMetadata.TURN_COMPLETE);
      }
      return p;
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
