package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.core.functions.ToolFunction;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Every session field the builder sets reaches session.update as the GA API (and the strict emulator) takes it. */
class OpenAiRealtimeSettingsTest {
  OpenAiRealtimeEmulator server;

  @BeforeEach
  void start() {
    server = OpenAiRealtimeEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  public static final class Weather {
    @ToolFunction(description = "The weather in a city")
    public String weather(String city) {
      return "sunny in " + city;
    }
  }

  /** A processor with every session field set. */
  static OpenAiRealtimeBuilder everything(OpenAiRealtimeBuilder b) {
    return b.instructions("You are terse.")
        .voice("marin")
        .speed(1.25)
        .textOutput(false)
        .inputTranscription("gpt-4o-mini-transcribe", "en", "weather words")
        .noiseReduction(true)
        .turnDetection(
            TurnDetection.serverVad()
                .threshold(0.6)
                .prefixPadding(Duration.ofMillis(300))
                .silenceDuration(Duration.ofMillis(500))
                .idleTimeout(Duration.ofSeconds(6))
                .createResponse(true)
                .interruptResponse(true))
        .tools(Tool.fromMethods(new Weather()).toArray(Tool[]::new))
        .toolChoice("weather")
        .maxOutputTokens(800)
        .truncationRetentionRatio(0.8, 1000)
        .tracing("support-call", "group-1", Map.of("team", "voice"));
  }

  @Test
  void everySettingGoesIntoSessionUpdateAndTheStrictServerTakesIt() throws Exception {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(everything(builder(server)).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(take(server, "session.update").json().get("session"))
        .isEqualTo(
            WireJson.MAPPER.readTree(
                """
        {"type": "realtime", "model": "gpt-realtime", "output_modalities": ["audio"],
         "instructions": "You are terse.",
         "audio": {
           "input": {"format": {"type": "audio/pcm", "rate": 24000},
                     "transcription": {"model": "gpt-4o-mini-transcribe", "language": "en", "prompt": "weather words"},
                     "noise_reduction": {"type": "far_field"},
                     "turn_detection": {"type": "server_vad", "threshold": 0.6, "prefix_padding_ms": 300,
                                        "silence_duration_ms": 500, "idle_timeout_ms": 6000,
                                        "create_response": true, "interrupt_response": true}},
           "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin", "speed": 1.25}},
         "tools": [{"type": "function", "name": "weather", "description": "The weather in a city",
                    "parameters": %s}],
         "tool_choice": {"type": "function", "name": "weather"},
         "max_output_tokens": 800,
         "truncation": {"type": "retention_ratio", "retention_ratio": 0.8, "token_limits": {"post_instructions": 1000}},
         "tracing": {"workflow_name": "support-call", "group_id": "group-1", "metadata": {"team": "voice"}}}"""
                    .formatted(Tool.fromMethods(new Weather()).get(0).parameters())));
  }

  @Test
  void semanticVadManualTurnsAndTheOtherChoicesAreSentAsTheApiNamesThem() {
    assertThat(
            SessionUpdate.of(
                    settings(
                        OpenAiRealtimeProcessor.builder()
                            .turnDetection(TurnDetection.semanticVad(TurnDetection.Eagerness.HIGH))
                            .unlimitedOutputTokens()
                            .truncation(false)
                            .tracingAuto()
                            .toolChoice("required")
                            .textOutput(true)))
                .get("session")
                .toString())
        .contains("\"turn_detection\":{\"type\":\"semantic_vad\",\"eagerness\":\"high\"}")
        .contains("\"max_output_tokens\":\"inf\"")
        .contains("\"truncation\":\"disabled\"")
        .contains("\"tracing\":\"auto\"")
        .contains("\"tool_choice\":\"required\"")
        .contains("\"output_modalities\":[\"text\"]");
    assertThat(
            SessionUpdate.of(
                    settings(OpenAiRealtimeProcessor.builder().turnDetection(TurnDetection.none())))
                .at("/session/audio/input")
                .toString())
        .contains("\"turn_detection\":null");
  }

  static RealtimeSettings settings(OpenAiRealtimeBuilder b) {
    return b.apiKey("k-1234").build().settings;
  }

  @Test
  void manualTurnsCommitThenCreateAResponseAtTheEndOfTurn() throws Exception {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(
            builder(server).turnDetection(TurnDetection.none()).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.startOfSpeech()))
        .then(() -> input.tryEmitNext(Part.audio(new byte[4800], 24000)))
        .then(() -> input.tryEmitNext(Part.endOfTurn()))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(
            () ->
                input.tryEmitNext(
                    Part.endOfTurn())) // nothing appended since: no commit, no response
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    List<String> types = new ArrayList<>();
    for (var m = server.takeMessage(Duration.ofMillis(200));
        m != null;
        m = server.takeMessage(Duration.ofMillis(200))) {
      types.add(m.type());
    }
    assertThat(types)
        .containsExactly(
            "session.update",
            "input_audio_buffer.clear",
            "input_audio_buffer.append",
            "input_audio_buffer.commit",
            "response.create");
  }

  @Test
  void g711FormatsAreEncodedAndDecodedSoThePartsStayPcmAt8kHz() throws Exception {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    OpenAiRealtimeProcessor model =
        builder(server)
            .audioFormats(RealtimeAudioFormat.G711_ULAW, RealtimeAudioFormat.G711_ALAW)
            .build();
    assertThat(model.inputSampleRate()).isEqualTo(8000);
    assertThat(model.outputSampleRate()).isEqualTo(8000);
    StepVerifier.create(model.apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.audio(new byte[1600], 8000))) // 100 ms
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    var update = take(server, "session.update").json();
    assertThat(update.at("/session/audio/input/format").toString())
        .isEqualTo("{\"type\":\"audio/pcmu\"}");
    assertThat(update.at("/session/audio/output/format").toString())
        .isEqualTo("{\"type\":\"audio/pcma\"}");
    byte[] sent =
        Base64.getDecoder()
            .decode(take(server, "input_audio_buffer.append").json().path("audio").asString());
    assertThat(sent).hasSize(800).containsOnly((byte) 0xFF); // μ-law silence, one byte a sample
    List<Part> audio = parts.stream().filter(Part::isAudio).toList();
    assertThat(audio).isNotEmpty().allSatisfy(p -> assertThat(p.mimeType()).contains("rate=8000"));
    // the emulator's default answer: 4800 bytes of A-law (600 ms), decoded to two bytes a sample
    assertThat(audio.stream().mapToInt(Part::byteSize).sum()).isEqualTo(9600);
    assertThat(
            audio
                .get(0)
                .byteBuffer()
                .duplicate()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getShort(0))
        .isEqualTo((short) -5504); // A-law 0x00
  }

  @Test
  void badSettingsAreRefusedAtOnceWithWhatWasWrong() {
    assertThatThrownBy(() -> OpenAiRealtimeProcessor.builder().speed(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("speed");
    assertThatThrownBy(() -> OpenAiRealtimeProcessor.builder().uri(java.net.URI.create("http://x")))
        .hasMessageContaining("ws://");
    assertThatThrownBy(() -> TurnDetection.serverVad().threshold(2))
        .hasMessageContaining("threshold");
    assertThatThrownBy(() -> OpenAiRealtimeProcessor.builder().continueOnExpiry(1, 5000))
        .hasMessageContaining("historyItems");
  }

  @Test
  void aPartTheProviderCannotTakeFailsTheOutputNamingIt() {
    StepVerifier.create(
            builder(server)
                .build()
                .apply(
                    Flux.concat(Flux.just(Part.bytes(new byte[] {1}, "video/mp4")), Flux.never())))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("video/mp4"))
        .verify(WAIT);
  }
}
