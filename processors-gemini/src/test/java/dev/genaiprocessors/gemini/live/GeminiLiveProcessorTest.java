package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Scheduling;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.ConnectionClose;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** The processor against the emulator: every mapping on the wire, both ways, and the session's end. */
class GeminiLiveProcessorTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String MODEL = "gemini-live-2.5-flash-preview";

  GeminiLiveEmulator server;
  Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  GeminiLiveProcessor.Builder live() {
    return GeminiLiveProcessor.builder().uri(server.uri()).apiKey(server.apiKey()).model(MODEL);
  }

  /** The output without resumption updates, which the emulator sends after setup and every turn. */
  static Flux<Part> content(Flux<Part> output) {
    return output.filter(
        p -> !GeminiLiveParts.isResumptionUpdate(p) && !GeminiLiveParts.isSessionId(p));
  }

  ClientMessage take(String type) throws InterruptedException {
    ClientMessage m = server.takeMessage(type, WAIT);
    assertThat(m).as("a %s message", type).isNotNull();
    return m;
  }

  static JsonNode json(String text) {
    return Wire.JSON.readTree(text);
  }

  @Test
  void textTurnRoundTripThenInputEndClosesWith1000() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(
                Reply.text("Hello"),
                Reply.text(" there"),
                Reply.generationComplete(),
                Reply.turnComplete())
            .build());
    StepVerifier.create(content(live().build().apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .expectNext(Part.text("Hello").withRole("model"), Part.text(" there").withRole("model"))
        .expectNext(Part.generationComplete(), Part.endOfTurn().withRole("model"))
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(server.takeMessage(WAIT).json())
        .isEqualTo(
            json(
                "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\", \"sessionResumption\": {}}}"));
    assertThat(server.takeMessage(WAIT).json())
        .isEqualTo(
            json(
                "{\"clientContent\": {\"turns\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Hi\"}]}], \"turnComplete\": true}}"));
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, ""));
  }

  @Test
  void aFiniteInputIsAnsweredBeforeTheOutputCompletes() throws Exception {
    // the input ends before the socket is even open: the turn is sent after setupComplete and
    // answered
    StepVerifier.create(content(live().build().apply(Flux.just(Part.text("echo me")))))
        .expectNext(
            Part.text("echo me").withRole("model"),
            Part.generationComplete(),
            Part.endOfTurn().withRole("model"))
        .expectComplete()
        .verify(WAIT);
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, ""));
  }

  @Test
  void audioInAndOutWithTranscriptionsOnTheirSubstreams() throws Exception {
    byte[] mic = new byte[3200];
    byte[] speech = new byte[4800];
    for (int i = 0; i < speech.length; i++) {
      speech[i] = (byte) i;
      mic[i % mic.length] = (byte) (i * 7);
    }
    server.enqueue(
        Script.builder()
            .turn(
                Reply.inputTranscription("what's"),
                Reply.inputTranscription(" the weather"),
                Reply.audio(speech),
                Reply.outputTranscription("Sunny"),
                Reply.generationComplete(),
                Reply.turnComplete())
            .build());
    GeminiLiveProcessor processor =
        live().inputTranscription(true).outputTranscription(true).build();
    StepVerifier.create(content(processor.apply(input.asFlux())))
        .then(
            () -> {
              input.tryEmitNext(Part.audio(mic, 16000).withSubstream(Substreams.REALTIME));
              input.tryEmitNext(
                  Part.text("")
                      .withSubstream(Substreams.REALTIME)
                      .withMetadata(PartMetadata.AUDIO_STREAM_END, true));
            })
        .assertNext(
            p -> {
              assertThat(p).isEqualTo(Part.inputTranscription("what's", false));
              assertThat(p.substream()).isEqualTo(Substreams.INPUT_TRANSCRIPTION);
            })
        .expectNext(Part.inputTranscription(" the weather", false))
        .assertNext(
            p -> {
              assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=24000");
              assertThat(p.role()).isEqualTo("model");
              assertThat(p.bytes()).isEqualTo(speech);
            })
        .assertNext(
            p -> {
              assertThat(p).isEqualTo(Part.outputTranscription("Sunny", false));
              assertThat(p.substream()).isEqualTo(Substreams.OUTPUT_TRANSCRIPTION);
            })
        .expectNext(Part.generationComplete(), Part.endOfTurn().withRole("model"))
        .thenCancel()
        .verify(WAIT);
    JsonNode setup = take("setup").body();
    assertThat(setup.has("inputAudioTranscription")).isTrue();
    assertThat(setup.has("outputAudioTranscription")).isTrue();
    ClientMessage audio = take("realtimeInput");
    assertThat(audio.body().path("audio").path("mimeType").asString())
        .isEqualTo("audio/pcm;rate=16000");
    assertThat(audio.audio()).isEqualTo(mic);
    assertThat(take("realtimeInput").json())
        .isEqualTo(json("{\"realtimeInput\": {\"audioStreamEnd\": true}}"));
  }

  @Test
  void audioAtAnotherRateIsResampledTo16kHzBeforeItIsSent() throws Exception {
    server.enqueue(Script.builder().turn(Reply.text("ok"), Reply.turnComplete()).build());
    byte[] at48k = new byte[4800 * 2]; // 100 ms at 48 kHz
    StepVerifier.create(content(live().build().apply(input.asFlux())))
        .then(
            () -> {
              input.tryEmitNext(Part.audio(at48k, 48_000));
              input.tryEmitNext(Part.audio(at48k, 48_000));
              input.tryEmitNext(Part.text("and?"));
            })
        .expectNext(Part.text("ok").withRole("model"))
        .expectNext(Part.endOfTurn().withRole("model"))
        .thenCancel()
        .verify(WAIT);
    ClientMessage first = take("realtimeInput");
    assertThat(first.body().path("audio").path("mimeType").asString())
        .isEqualTo("audio/pcm;rate=16000");
    // 100 ms at 16 kHz, less the few samples the resampler holds back until more audio comes
    assertThat(first.audio().length).isBetween(3000, 3200).isEven();
  }

  @Test
  void framesOver64KiBWorkBothWaysInTextFramesToo() throws Exception {
    server.close();
    server = GeminiLiveEmulator.builder().textFrames().compactFrames().build().start();
    byte[] big = new byte[150_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    server.enqueue(Script.builder().turn(Reply.audio(big), Reply.turnComplete()).build());
    StepVerifier.create(content(live().build().apply(input.asFlux())))
        .then(
            () -> {
              input.tryEmitNext(Part.audio(big, 16000));
              input.tryEmitNext(Part.text("what did you hear?"));
            })
        .assertNext(p -> assertThat(p.bytes()).isEqualTo(big))
        .expectNext(Part.endOfTurn().withRole("model"))
        .thenCancel()
        .verify(WAIT);
    assertThat(take("realtimeInput").audio()).isEqualTo(big);
  }

  @Test
  void toolCallRoundTripWithSchedulingAndIds() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(
                Reply.toolCall("fc-1", "get_weather", "{\"city\": \"Paris\"}"),
                Reply.awaitToolResponse(),
                Reply.text("Sunny in Paris"),
                Reply.turnComplete())
            .build());
    PartContent.FunctionResponse response =
        new PartContent.FunctionResponse(
            "fc-1",
            "get_weather",
            json("{\"result\": {\"tempC\": 21}}"),
            Scheduling.INTERRUPT,
            false,
            false);
    StepVerifier.create(content(live().build().apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("Weather in Paris?")))
        .assertNext(
            call -> {
              assertThat(call)
                  .isEqualTo(
                      Part.functionCall("fc-1", "get_weather", json("{\"city\": \"Paris\"}"))
                          .withRole("model"));
              input.tryEmitNext(Part.of(response).withRole("user"));
            })
        .expectNext(
            Part.text("Sunny in Paris").withRole("model"), Part.endOfTurn().withRole("model"))
        .thenCancel()
        .verify(WAIT);
    assertThat(take("toolResponse").json())
        .isEqualTo(
            json(
                "{\"toolResponse\": {\"functionResponses\": [{\"id\": \"fc-1\","
                    + " \"name\": \"get_weather\", \"response\": {\"output\": {\"tempC\": 21}}, \"scheduling\": \"INTERRUPT\"}]}}"));
  }

  @Test
  void bargeInWithManualActivityInterruptsAndCancelsOpenCalls() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("Once upon"), Reply.toolCall("fc-9", "look_up", "{}"), Reply.hold())
            .turn(Reply.text("Yes?"), Reply.turnComplete())
            .build());
    GeminiLiveProcessor processor = live().activityDetection(ActivityDetection.manual()).build();
    StepVerifier.create(content(processor.apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("Tell me a story")))
        .expectNext(Part.text("Once upon").withRole("model"))
        .assertNext(p -> assertThat(p.isFunctionCall()).isTrue())
        .then(() -> input.tryEmitNext(Part.startOfSpeech()))
        .expectNext(Part.interrupted())
        .assertNext(p -> assertThat(GeminiLiveParts.cancelledCallIds(p)).containsExactly("fc-9"))
        .expectNext(Part.endOfTurn().withRole("model"))
        .then(() -> input.tryEmitNext(Part.endOfSpeech()))
        .expectNext(Part.text("Yes?").withRole("model"), Part.endOfTurn().withRole("model"))
        .thenCancel()
        .verify(WAIT);
    assertThat(
            take("setup")
                .body()
                .at("/realtimeInputConfig/automaticActivityDetection/disabled")
                .asBoolean())
        .isTrue();
    assertThat(take("realtimeInput").json())
        .isEqualTo(json("{\"realtimeInput\": {\"activityStart\": {}}}"));
    assertThat(take("realtimeInput").json())
        .isEqualTo(json("{\"realtimeInput\": {\"activityEnd\": {}}}"));
  }

  @Test
  void contentOfAnInterruptedTurnThatStillArrivesIsDropped() {
    server.enqueue(
        Script.builder()
            .turn(
                Reply.text("one"),
                Reply.interrupted(),
                Reply.text("stale"),
                Reply.audio(new byte[64]),
                Reply.turnComplete(),
                Reply.text("next turn"))
            .build());
    StepVerifier.create(content(live().build().apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("go")))
        .expectNext(
            Part.text("one").withRole("model"),
            Part.interrupted(),
            Part.endOfTurn().withRole("model"))
        .expectNext(Part.text("next turn").withRole("model"))
        .thenCancel()
        .verify(WAIT);
  }

  @Test
  void startAndEndOfSpeechAreDroppedWithAutomaticDetectionAndOtherSubstreamsPassThrough()
      throws Exception {
    server.enqueue(Script.builder().turn(Reply.text("ok"), Reply.turnComplete()).build());
    Part note = Part.text("for the UI").withSubstream("ui");
    StepVerifier.create(content(live().build().apply(input.asFlux())))
        .then(
            () -> {
              input.tryEmitNext(Part.startOfSpeech());
              input.tryEmitNext(note);
              input.tryEmitNext(Part.endOfSpeech());
              input.tryEmitNext(Part.text("hi"));
            })
        .expectNext(note)
        .expectNext(Part.text("ok").withRole("model"), Part.endOfTurn().withRole("model"))
        .thenCancel()
        .verify(WAIT);
    take("setup");
    assertThat(server.takeMessage(WAIT).type())
        .isEqualTo("clientContent"); // the emulator closes 1007 on activity signals
  }

  @Test
  void gemini31SendsTextAsRealtimeText() throws Exception {
    GeminiLiveProcessor processor = live().model("gemini-3.1-flash-live-preview").build();
    server.enqueue(Script.builder().turn(Reply.text("lights on"), Reply.turnComplete()).build());
    StepVerifier.create(content(processor.apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("Turn on the lights")))
        .expectNext(Part.text("lights on").withRole("model"), Part.endOfTurn().withRole("model"))
        .thenCancel()
        .verify(WAIT);
    assertThat(take("realtimeInput").json())
        .isEqualTo(json("{\"realtimeInput\": {\"text\": \"Turn on the lights\"}}"));
  }

  @Test
  void aClassicClientAgainstAGemini31ServerGets1007() {
    GeminiLiveProcessor processor =
        live().model("gemini-3.1-flash-live-preview").profile(ModelProfile.CLASSIC).build();
    StepVerifier.create(content(processor.apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(ModelException.class);
              assertThat(((ModelException) e).closeCode()).isEqualTo(1007);
              assertThat(((ModelException) e).closeReason())
                  .isEqualTo("Request contains an invalid argument.");
            })
        .verify(WAIT);
  }

  @Test
  void nothingIsSentBeforeSetupCompleteAndToolResponsesGoFirst() throws Exception {
    server.enqueue(
        Script.builder()
            .setupReply(Reply.delay(Duration.ofMillis(300)), Reply.setupComplete())
            .build());
    Part audio = Part.audio(new byte[320], 16000).withSubstream(Substreams.REALTIME);
    Part text = Part.text("later").withMetadata(PartMetadata.TURN_COMPLETE, false);
    Part result = Part.functionResult("fc-0", "f", json("1"));
    input.tryEmitNext(audio);
    input.tryEmitNext(text);
    input.tryEmitNext(result); // all three wait in the send queue until setupComplete
    StepVerifier.create(content(live().build().apply(input.asFlux())))
        .expectNext(
            Part.endOfTurn()
                .withRole("model")) // the tool response prompted a turn: the session is alive
        .thenCancel()
        .verify(WAIT);
    take("setup");
    assertThat(server.takeMessage(WAIT).type()).isEqualTo("toolResponse");
    assertThat(server.takeMessage(WAIT).body().has("audio")).isTrue();
    assertThat(server.takeMessage(WAIT).body().path("turnComplete").asBoolean(true)).isFalse();
  }

  @Test
  void cancellingTheOutputClosesTheSocketWith1000() throws Exception {
    StepVerifier.create(live().build().apply(input.asFlux()))
        .expectNextMatches(GeminiLiveParts::isSessionId) // setupComplete's sessionId
        .thenCancel()
        .verify(WAIT);
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, ""));
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void anInputErrorFailsTheOutputWithTheSameExceptionAndCloses() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    StepVerifier.create(live().build().apply(input.asFlux()))
        .expectNextMatches(GeminiLiveParts::isSessionId)
        .expectNextMatches(GeminiLiveParts::isResumptionUpdate)
        .then(() -> input.tryEmitError(boom))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
        .verify(WAIT);
    assertThat(server.takeClose(WAIT).code()).isEqualTo(1000);
  }

  @Test
  void usageAndTurnCompleteReasonBecomeMetadata() {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("x"), Reply.usage(10, 4), Reply.turnComplete("NEED_MORE_INPUT"))
            .build());
    StepVerifier.create(content(live().build().apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .expectNext(Part.text("x").withRole("model"))
        .assertNext(
            p ->
                assertThat(p.metadata(GeminiLiveParts.USAGE_METADATA))
                    .isEqualTo(
                        java.util.Map.of(
                            "promptTokenCount",
                            10L,
                            "responseTokenCount",
                            4L,
                            "totalTokenCount",
                            14L)))
        .assertNext(
            p -> {
              assertThat(p.isEndOfTurn()).isTrue();
              assertThat(p.metadata(GeminiLiveParts.TURN_COMPLETE_REASON))
                  .isEqualTo("NEED_MORE_INPUT");
            })
        .thenCancel()
        .verify(WAIT);
  }
}
