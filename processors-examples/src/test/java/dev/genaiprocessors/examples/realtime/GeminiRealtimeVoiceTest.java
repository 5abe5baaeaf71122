package dev.genaiprocessors.examples.realtime;

import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Flux;

/** The facade suite on Gemini Live, through the loopback emulator (its audio at 24 kHz, resampled to 16). */
class GeminiRealtimeVoiceTest extends RealtimeVoiceSuite {
  private GeminiLiveEmulator emulator;

  @BeforeEach
  void start() {
    emulator = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Override
  RealtimeVoice.Builder voice(RealtimeConfig config) {
    return RealtimeVoice.builder()
        .provider("gemini")
        .environment(Map.of("GEMINI_API_KEY", emulator.apiKey()))
        .config(config.toBuilder().endpoint(emulator.uri()).build());
  }

  @Override
  String providerName() {
    return "gemini";
  }

  @Override
  Map<String, String> selectingEnvironment() {
    return Map.of("GOOGLE_API_KEY", "a-key");
  }

  /** 100 ms of a 440 Hz tone at 24 kHz. */
  private static byte[] tone() {
    byte[] pcm = new byte[4800];
    for (int i = 0; i < 2400; i++) {
      short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 24000.0));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }

  @Override
  void expectGreeting() {
    emulator.enqueue(
        Script.builder()
            .turn(
                Reply.outputTranscription("Hello from "),
                Reply.audio(tone(), 24000),
                Reply.outputTranscription("the model."),
                Reply.audio(tone(), 24000),
                Reply.generationComplete(),
                Reply.turnComplete())
            .build());
  }

  @Override
  void expectFunctionCall(String function, String resultText) {
    emulator.enqueue(
        Script.builder()
            .turn(
                Reply.toolCall("fc-1", function, "{\"city\":\"Paris\"}"),
                Reply.awaitToolResponse(),
                Reply.outputTranscription("The answer is " + resultText),
                Reply.audio(tone(), 24000),
                Reply.generationComplete(),
                Reply.turnComplete())
            .build());
  }

  @Override
  void expectFunctionCallWhileTalking(String function) {
    throw new UnsupportedOperationException("functions are BLOCKING on Gemini Live");
  }

  @Override
  boolean modelTalksWhileAFunctionRuns() {
    return false;
  }

  @Override
  List<String> functionResultsReceived() throws InterruptedException {
    List<String> results = new ArrayList<>();
    ClientMessage m = emulator.takeMessage("toolResponse", Duration.ofSeconds(5));
    if (m != null) {
      results.add(m.body().toString());
    }
    return results;
  }

  @Override
  void expectEndlessAnswer() {
    emulator.enqueue(
        Script.builder()
            .turn(
                Reply.outputTranscription("Once upon a time"),
                Reply.audio(tone(), 24000),
                Reply.hold())
            .build());
  }

  @Override
  Flux<byte[]> spokenGreeting() {
    // Any audio: the emulator answers the turn that the end of the audio stream closes.
    return Flux.range(0, 30).map(i -> new byte[640]);
  }

  @Override
  RealtimeConfig.Builder withUnsupportedSetting(RealtimeConfig.Builder config) {
    return config.vadThreshold(0.6);
  }

  @Override
  String unsupportedSettingLabel() {
    return "vad threshold";
  }
}
