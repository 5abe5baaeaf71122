package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.metrics.RealTimeMetrics;
import dev.genaiprocessors.live.metrics.RealTimeReport;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** RealTimeMetrics on a real provider: Gemini Live against its emulator fills the meters. */
class GeminiLiveRealTimeMetricsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  GeminiLiveEmulator server;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  GeminiLiveProcessor.Builder live() {
    return GeminiLiveProcessor.builder()
        .uri(server.uri())
        .apiKey(server.apiKey())
        .model("gemini-live-2.5-flash-preview");
  }

  static Part userAudio(int i) {
    return Part.audio(new byte[3200], 16000).withRole("user").withSubstream(Substreams.REALTIME);
  }

  @Test
  void aSpokenTurnFillsTheMeters() {
    server.enqueue(
        Script.builder()
            .turn(
                Reply.inputTranscription("what time is it"),
                Reply.outputTranscription("It is noon."),
                Reply.audio(new byte[4800], 24000),
                Reply.audio(new byte[4800], 24000),
                Reply.generationComplete(),
                Reply.turnComplete())
            .build());
    RealTimeMetrics metrics =
        RealTimeMetrics.builder().registry(registry).conversation("gemini-1").build();
    LiveProcessor observed = metrics.observe(live().build());
    Sinks.Empty<Void> done = Sinks.empty();
    Flux<Part> input =
        Flux.range(0, 5)
            .map(GeminiLiveRealTimeMetricsTest::userAudio)
            .concatWithValues(Part.audioStreamEnd())
            .concatWith(done.asMono().thenMany(Flux.<Part>empty()));
    StepVerifier.create(
            observed
                .apply(input)
                .doOnNext(
                    p -> {
                      if (p.isEndOfTurn()) {
                        done.tryEmitEmpty();
                      }
                    }))
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);

    RealTimeReport report = metrics.report();
    assertThat(report.stages()).hasSize(1);
    RealTimeReport.Stage stage = report.stages().get(0);
    assertThat(stage.name()).isEqualTo("gemini");
    assertThat(stage.performance().messagesSent()).isEqualTo(6);
    assertThat(stage.performance().messagesReceived()).isGreaterThanOrEqualTo(6);
    assertThat(stage.performance().answers()).isEqualTo(1);
    assertThat(stage.performance().audioSecondsSent()).isEqualTo(0.5);
    assertThat(stage.performance().audioSecondsReceived()).isEqualTo(0.2);
    assertThat(stage.performance().timeToFirstToken().count()).isEqualTo(1);
    assertThat(stage.performance().processingTime().count()).isEqualTo(1);
    assertThat(stage.realTime().timeToFirstAudio().count()).isEqualTo(1);
    assertThat(stage.realTime().speechToAnswer().count()).isEqualTo(1);
    assertThat(stage.quality().errors()).isZero();
    assertThat(
            registry
                .get(RealTimeMetrics.TIME_TO_FIRST_AUDIO)
                .tag("conversation", "gemini-1")
                .tag("stage", "gemini")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(report.format()).contains("Stage gemini").contains("time to first audio: p95 ");
  }

  @Test
  void theRealtimeMediaTheSendQueueDropsAreCounted() {
    server.enqueue(
        Script.builder()
            .setupReply(Reply.delay(Duration.ofMillis(300)), Reply.setupComplete())
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    for (int i = 0; i < 10; i++) {
      input.tryEmitNext(
          Part.audio(new byte[] {(byte) i, 0}, 16000).withSubstream(Substreams.REALTIME));
    }
    input.tryEmitNext(Part.text("done"));
    RealTimeMetrics metrics =
        RealTimeMetrics.builder().registry(registry).conversation("gemini-2").build();
    StepVerifier.create(
            metrics
                .observe(live().sendQueueCapacity(4).build())
                .apply(input.asFlux())
                .filter(p -> p.isText() && p.text().equals("done")))
        .expectNextCount(1) // the emulator echoes text turns when its script is empty
        .thenCancel()
        .verify(WAIT);

    // Ten audio messages and a text into a queue of four while connecting: seven audio dropped.
    assertThat(metrics.report().stages().get(0).quality().droppedMedia()).isEqualTo(7);
    assertThat(
            registry
                .get(RealTimeMetrics.DROPPED_MEDIA)
                .tag("conversation", "gemini-2")
                .counter()
                .count())
        .isEqualTo(7);
  }
}
