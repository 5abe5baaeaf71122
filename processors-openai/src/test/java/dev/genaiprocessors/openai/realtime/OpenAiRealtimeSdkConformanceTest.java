package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import dev.genaiprocessors.testkit.openai.SdkJudge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Every client event the processor sends, for every setting and part kind, as the official SDK reads it. */
class OpenAiRealtimeSdkConformanceTest {
  OpenAiRealtimeEmulator server;

  @BeforeEach
  void start() {
    server = OpenAiRealtimeEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  List<ClientMessage> drain() throws InterruptedException {
    List<ClientMessage> all = new ArrayList<>();
    for (ClientMessage m; (m = server.takeMessage(Duration.ofMillis(200))) != null; ) {
      all.add(m);
    }
    return all;
  }

  @Test
  void everyClientEventParsesAsTheSdksRealtimeClientEventAndLosesNoField() throws Exception {
    List<ClientMessage> sent = new ArrayList<>();
    // 1. every session field, a text turn with two tool calls and their results, an image, an
    //    out-of-band response with an item reference, and an explicit interruption
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.response(
                    Output.functionCall("call_a", "weather", "{\"city\":\"Paris\"}"),
                    Output.functionCall("call_b", "weather", "{\"city\":\"Rome\"}")))
            .on(
                "response.create",
                Reply.openResponse(Output.audio(new byte[48000], "Sunny in both")))
            .on("response.create", Reply.response(Output.text("weather")))
            .build());
    HeardAudio heard = new HeardAudio();
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    // Read by a then(...) step on the verifying thread while the socket's thread still records.
    List<Part> parts = new CopyOnWriteArrayList<>();
    StepVerifier.create(
            OpenAiRealtimeSettingsTest.everything(builder(server))
                .playback(heard)
                .build()
                .apply(input.asFlux()))
        .then(
            () ->
                input.tryEmitNext(Part.image(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png")))
        .then(() -> input.tryEmitNext(Part.text("Weather in Paris and Rome?")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(
            () -> {
              input.tryEmitNext(
                  Part.functionResult(
                      "call_a", "weather", WireJson.MAPPER.createObjectNode().put("sky", "sunny")));
              input.tryEmitNext(Part.functionError("call_b", "weather", "no station"));
            })
        .thenConsumeWhile(p -> !p.isAudio())
        .then(
            () -> {
              Part audio = parts.stream().filter(Part::isAudio).findFirst().orElse(null);
              String item =
                  parts.stream()
                      .filter(Part::isAudio)
                      .map(p -> (String) p.metadata(RealtimeParts.ITEM_ID))
                      .findFirst()
                      .orElse("item_x");
              input.tryEmitNext(
                  OutOfBandRequest.builder()
                      .instructions("One word.")
                      .metadata("purpose", "classify")
                      .itemReference(item)
                      .input(Part.text("and tomorrow?"))
                      .textOnly()
                      .build()
                      .toPart());
            })
        .thenConsumeWhile(p -> !(p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p)))
        .expectNextMatches(Part::isEndOfTurn)
        .then(() -> input.tryEmitNext(Part.interrupted()))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);
    sent.addAll(drain());
    // 2. manual turns, semantic VAD and G.711 formats
    Sinks.Many<Part> manual = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(
            builder(server)
                .turnDetection(TurnDetection.none())
                .audioFormats(RealtimeAudioFormat.G711_ALAW, RealtimeAudioFormat.G711_ULAW)
                .unlimitedOutputTokens()
                .truncation(true)
                .tracingAuto()
                .build()
                .apply(manual.asFlux()))
        .then(() -> manual.tryEmitNext(Part.startOfSpeech()))
        .then(() -> manual.tryEmitNext(Part.audio(new byte[6400], 16000)))
        .then(() -> manual.tryEmitNext(Part.endOfSpeech()))
        .then(() -> manual.tryEmitNext(Part.audio(new byte[6400], 16000)))
        .then(() -> manual.tryEmitNext(Part.endOfTurn()))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(manual::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(
            builder(server)
                .turnDetection(TurnDetection.semanticVad(TurnDetection.Eagerness.LOW))
                .build()
                .apply(reactor.core.publisher.Flux.empty()))
        .expectComplete()
        .verify(WAIT);
    sent.addAll(drain());

    Set<String> types = new TreeSet<>();
    for (ClientMessage m : sent) {
      SdkJudge.assertClientEvent(m.json().toString());
      types.add(m.type());
    }
    assertThat(types)
        .containsExactlyInAnyOrder(
            "session.update",
            "conversation.item.create",
            "response.create",
            "response.cancel",
            "conversation.item.truncate",
            "input_audio_buffer.append",
            "input_audio_buffer.clear",
            "input_audio_buffer.commit");
    assertThat(
            sent.stream()
                .filter(
                    m -> m.json().at("/item/content/0/type").asString("").equals("input_image")))
        .hasSize(1);
    assertThat(
            sent.stream()
                .filter(
                    m ->
                        m.json()
                            .at("/response/input/0/type")
                            .asString("")
                            .equals("item_reference")))
        .hasSize(1);
    server.assertScriptUsedUp();
  }
}
