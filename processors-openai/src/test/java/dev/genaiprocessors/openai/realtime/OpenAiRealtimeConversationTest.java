package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Audio turns, tool calls and out-of-band responses, end to end against the emulator. */
class OpenAiRealtimeConversationTest {
  OpenAiRealtimeEmulator server;

  @BeforeEach
  void start() {
    server = OpenAiRealtimeEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static List<String> kinds(List<Part> parts) {
    List<String> kinds = new ArrayList<>();
    for (Part p : parts) {
      String k = RealtimeTestSupport.kind(p);
      if (kinds.isEmpty() || !kinds.get(kinds.size() - 1).equals(k)) {
        kinds.add(k);
      }
    }
    return kinds;
  }

  List<ClientMessage> messages() throws InterruptedException {
    List<ClientMessage> all = new ArrayList<>();
    for (ClientMessage m; (m = server.takeMessage(Duration.ofMillis(200))) != null; ) {
      all.add(m);
    }
    return all;
  }

  @Test
  void
      anAudioTurnGivesSpeechEventsAudioAtTheOutputRateAndBothTranscriptsEvenWhenTheInputOneComesLate()
          throws Exception {
    byte[] answer = new byte[9600]; // 200 ms at 24 kHz
    server.enqueue(
        Script.builder()
            .on("input_audio_buffer.append", Reply.speechStarted())
            .on(
                "input_audio_buffer.append",
                Reply.speechStopped(),
                Reply.response(Output.audio(answer, "It is sunny.")),
                Reply.inputTranscript("Weather today?"))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(
            builder(server)
                .inputTranscription("gpt-4o-mini-transcribe", "en", null)
                .build()
                .apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.audio(new byte[3200], 16000))) // 100 ms at 16 kHz
        .then(() -> input.tryEmitNext(Part.audio(new byte[3200], 16000)))
        .recordWith(() -> parts)
        .thenConsumeWhile(
            p -> !(p.isTranscription() && p.isFinalTranscription() && "user".equals(p.role())))
        .then(input::tryEmitComplete)
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);
    assertThat(kinds(parts))
        .containsSubsequence(
            "speech_started",
            "speech_stopped",
            "audio",
            "generation_complete",
            "usage",
            "end_of_turn")
        .containsSubsequence("out_transcript_delta", "out_transcript")
        .containsSubsequence("in_transcript_delta", "in_transcript");
    List<Part> audio = parts.stream().filter(Part::isAudio).toList();
    assertThat(audio).allSatisfy(p -> assertThat(p.mimeType()).contains("rate=24000"));
    assertThat(audio.stream().mapToInt(Part::byteSize).sum()).isEqualTo(answer.length);
    assertThat(audio.get(0).metadata(RealtimeParts.ITEM_ID)).isInstanceOf(String.class);
    assertThat(
            parts.stream()
                .filter(p -> p.isTranscription() && p.isFinalTranscription())
                .map(Part::text))
        .containsExactlyInAnyOrder("It is sunny.", "Weather today?");
    // the input was resampled to 24 kHz: 2 x 100 ms of 16 kHz are about 2 x 4800 bytes
    int appended =
        messages().stream()
            .filter(m -> m.type().equals("input_audio_buffer.append"))
            .mapToInt(m -> Base64.getDecoder().decode(m.json().path("audio").asString()).length)
            .sum();
    assertThat(appended).isBetween(9000, 9600);
  }

  @Test
  void functionResultsBecomeOutputItemsAndTheNextResponseWaitsForEveryCallOfTheResponse()
      throws Exception {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.response(
                    Output.functionCall("call_a", "weather", "{\"city\":\"Paris\"}"),
                    Output.functionCall("call_b", "time", "{\"zone\":\"CET\"}")))
            .on("response.create", Reply.response(Output.text("Sunny, noon.")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Weather and time in Paris?")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(
            () -> {
              List<Part> calls = parts.stream().filter(Part::isFunctionCall).toList();
              assertThat(calls)
                  .extracting(p -> p.functionCall().id())
                  .containsExactly("call_a", "call_b");
              assertThat(calls.get(0).functionCall().args().path("city").asString())
                  .isEqualTo("Paris");
              input.tryEmitNext(
                  Part.functionResult(
                      "call_a", "weather", WireJson.MAPPER.createObjectNode().put("sky", "sunny")));
            })
        .then(
            () ->
                input.tryEmitNext(
                    Part.functionResult(
                        "call_b", "time", WireJson.MAPPER.createObjectNode().put("time", "12:00"))))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(RealtimeTestSupport.modelText(parts)).isEqualTo("Sunny, noon.");
    List<String> sent =
        messages().stream()
            .filter(m -> !m.type().equals("session.update"))
            .map(
                m ->
                    m.type()
                        + (m.json().has("item") ? ":" + m.json().at("/item/type").asString() : ""))
            .collect(Collectors.toList());
    assertThat(sent)
        .containsExactly(
            "conversation.item.create:message",
            "response.create",
            "conversation.item.create:function_call_output",
            "conversation.item.create:function_call_output",
            "response.create");
    server.assertScriptUsedUp();
  }

  @Test
  void anOutOfBandResponseRunsBesideTheAnswerAndItsPartsCarryItsMetadata() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.text("Let me think")))
            .on("response.create", Reply.response(Output.text("booking")), Reply.finishResponse())
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    Part classify =
        OutOfBandRequest.builder()
            .id("oob-1")
            .instructions("Classify the user's intent in one word.")
            .metadata("purpose", "classify")
            .input(Part.text("book a flight"))
            .textOnly()
            .build()
            .toPart();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Book me a flight")))
        .then(() -> input.tryEmitNext(classify))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !(p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p)))
        .expectNextMatches(p -> p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p))
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    List<Part> outOfBand = parts.stream().filter(OutOfBandRequest::isOutOfBand).toList();
    assertThat(outOfBand).isNotEmpty();
    assertThat(outOfBand)
        .allSatisfy(
            p -> {
              assertThat(p.metadata(OutOfBandRequest.OUT_OF_BAND)).isEqualTo("oob-1");
              assertThat(p.metadata(OutOfBandRequest.REQUEST_METADATA))
                  .isEqualTo(java.util.Map.of("purpose", "classify"));
            });
    assertThat(outOfBand.get(outOfBand.size() - 1).isEndOfTurn()).isTrue();
    assertThat(RealtimeTestSupport.modelText(outOfBand)).isEqualTo("booking");
    assertThat(
            RealtimeTestSupport.modelText(
                parts.stream().filter(p -> !OutOfBandRequest.isOutOfBand(p)).toList()))
        .isEqualTo("Let me think");
    take(server, "response.create");
    ClientMessage oob = take(server, "response.create");
    assertThat(oob.json().at("/response/conversation").asString()).isEqualTo("none");
    assertThat(oob.json().at("/response/metadata/purpose").asString()).isEqualTo("classify");
    assertThat(oob.json().at("/response/metadata/out_of_band_id").asString()).isEqualTo("oob-1");
    assertThat(oob.json().at("/response/output_modalities/0").asString()).isEqualTo("text");
    assertThat(oob.json().at("/response/instructions").asString())
        .isEqualTo("Classify the user's intent in one word.");
    assertThat(oob.json().at("/response/input/0/content/0/text").asString())
        .isEqualTo("book a flight");
    server.assertScriptUsedUp();
  }
}
