package dev.genaiprocessors.examples.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeSession;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The facade suite on OpenAI Realtime, through the loopback emulator (its audio at 24 kHz, resampled to
 * 16).
 */
class OpenAiRealtimeVoiceTest extends RealtimeVoiceSuite {
  private OpenAiRealtimeEmulator emulator;

  @BeforeEach
  void start() {
    emulator = OpenAiRealtimeEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Override
  RealtimeVoice.Builder voice(RealtimeConfig config) {
    return RealtimeVoice.builder()
        .provider("openai")
        .environment(Map.of("OPENAI_API_KEY", emulator.apiKey()))
        .config(config.toBuilder().endpoint(emulator.uri()).build());
  }

  @Override
  String providerName() {
    return "openai";
  }

  @Override
  Map<String, String> selectingEnvironment() {
    return Map.of("OPENAI_API_KEY", "a-key");
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
            .on("response.create", Reply.response(Output.audio(tone(), GREETING)))
            .build());
  }

  @Override
  void expectFunctionCall(String function, String resultText) {
    emulator.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.response(Output.functionCall("call_1", function, "{\"city\":\"Paris\"}")))
            .on(
                "response.create",
                Reply.response(Output.audio(tone(), "The answer is " + resultText)))
            .build());
  }

  @Override
  void expectFunctionCallWhileTalking(String function) {
    emulator.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.response(
                    Output.functionCall("call_1", function, "{\"city\":\"Paris\"}"),
                    Output.audio(tone(), WHILE_WAITING)))
            .build());
  }

  @Override
  boolean modelTalksWhileAFunctionRuns() {
    return true;
  }

  @Override
  List<String> functionResultsReceived() throws InterruptedException {
    List<String> results = new ArrayList<>();
    ClientMessage m;
    while ((m = emulator.takeMessage("conversation.item.create", Duration.ofSeconds(5))) != null) {
      if ("function_call_output".equals(m.json().path("item").path("type").asString())) {
        results.add(m.json().path("item").toString());
        break;
      }
    }
    return results;
  }

  @Override
  void expectEndlessAnswer() {
    emulator.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.audio(tone(), "Once upon a time")))
            .build());
  }

  @Override
  String whyTextDoesNotInterrupt() {
    return "OpenAI Realtime does not cancel an answer for a user message: the message waits for the"
        + " answer in flight (only server VAD hearing speech, or interrupt(), cancels it); see"
        + " interruptCancelsTheAnswer";
  }

  @Override
  String whyTheEndOfTheMicrophoneDoesNotEndTheTurn() {
    return "under server VAD OpenAI Realtime ends a turn only when its VAD hears silence; the"
        + " processor sends nothing for the end of the audio stream, so a finite microphone is not"
        + " answered unless the server's VAD is (the emulator's VAD is scripted per append event)";
  }

  @Override
  Flux<byte[]> spokenGreeting() {
    // Any audio: in manual mode the commit ends the turn.
    return Flux.range(0, 30).map(i -> new byte[640]);
  }

  @Override
  RealtimeConfig.Builder withUnsupportedSetting(RealtimeConfig.Builder config) {
    return config.temperature(0.7);
  }

  @Override
  String unsupportedSettingLabel() {
    return "temperature";
  }

  @Test
  void interruptCancelsTheAnswer() throws Exception {
    Recorder rec = new Recorder();
    expectEndlessAnswer();
    expectGreeting();
    try (RealtimeSession session = rec.attach(voice(config().build())).build().connect()) {
      session.sendText(STORY_REQUEST);
      rec.awaitDelta(WAIT);
      session.interrupt();
      rec.awaitInterruption(WAIT);
      assertThat(emulator.takeMessage("response.cancel", WAIT)).isNotNull();
      session.sendText("Hello there");
      // The cancelled answer's transcript may still be closed with what it had said.
      String next = rec.nextAssistantFinal(WAIT);
      if (next.equals("Once upon a time")) {
        next = rec.nextAssistantFinal(WAIT);
      }
      assertThat(next).isEqualTo(GREETING);
    }
  }

  @Test
  void theSessionCarriesTheConfig() throws Exception {
    RealtimeConfig config =
        config()
            .voice("marin")
            .instructions("Be terse.")
            .maxTokens(200)
            .vadThreshold(0.6)
            .silenceDuration(Duration.ofMillis(400))
            .build();
    expectGreeting();
    Recorder rec = new Recorder();
    try (RealtimeSession session = rec.attach(voice(config)).build().connect()) {
      session.sendText("Hello there");
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(GREETING);
    }
    ClientMessage update = emulator.takeMessage("session.update", WAIT);
    assertThat(update).isNotNull();
    var session = update.json().path("session");
    assertThat(session.path("instructions").asString()).isEqualTo("Be terse.");
    assertThat(session.path("max_output_tokens").asInt()).isEqualTo(200);
    assertThat(session.path("audio").path("output").path("voice").asString()).isEqualTo("marin");
    var vad = session.path("audio").path("input").path("turn_detection");
    assertThat(vad.path("type").asString()).isEqualTo("server_vad");
    assertThat(vad.path("threshold").asDouble()).isEqualTo(0.6);
    assertThat(vad.path("silence_duration_ms").asInt()).isEqualTo(400);
  }
}
