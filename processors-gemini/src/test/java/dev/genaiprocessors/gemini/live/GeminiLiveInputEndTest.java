package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
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
import reactor.test.scheduler.VirtualTimeScheduler;

/** Ending the input never loses the answer to what was sent; the wait is bounded by the drain timeout. */
class GeminiLiveInputEndTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Part END = Part.endOfTurn().withRole("model");

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
    return GeminiLiveProcessor.builder()
        .uri(server.uri())
        .apiKey(server.apiKey())
        .model(GeminiLiveProcessorTest.MODEL);
  }

  @Test
  void audioThenTheEndOfTheAudioStreamThenTheEndOfInputIsAnswered() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("Answer"), Reply.generationComplete(), Reply.turnComplete())
            .build());
    Flux<Part> in =
        Flux.just(
            Part.audio(new byte[3200], 16000).withSubstream(Substreams.REALTIME),
            Part.audioStreamEnd());
    StepVerifier.create(GeminiLiveProcessorTest.content(live().build().apply(in)))
        .expectNext(Part.text("Answer").withRole("model"), Part.generationComplete(), END)
        .expectComplete()
        .verify(WAIT);
    assertThat(server.takeMessage("realtimeInput", WAIT).body().has("audio")).isTrue();
    assertThat(server.takeMessage("realtimeInput", WAIT).body().path("audioStreamEnd").asBoolean())
        .isTrue();
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, ""));
  }

  @Test
  void aTextThatBargesInIsAnsweredAfterTheInterruptedTurnThoughTheInputHasEnded() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("Once upon a time"), Reply.hold())
            .turn(Reply.text("It is noon"), Reply.generationComplete(), Reply.turnComplete())
            .build());
    StepVerifier.create(GeminiLiveProcessorTest.content(live().build().apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("Tell me a story")))
        .expectNext(Part.text("Once upon a time").withRole("model"))
        .then(
            () -> {
              input.tryEmitNext(Part.text("What time is it?"));
              input.tryEmitComplete();
            })
        .expectNext(Part.interrupted(), END)
        .expectNext(Part.text("It is noon").withRole("model"), Part.generationComplete(), END)
        .expectComplete()
        .verify(WAIT);
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, ""));
  }

  @Test
  void aRealtimeTextUnderNoInterruptionIsAnsweredAfterTheTurnUnderWay() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("First"), Reply.delay(Duration.ofMillis(50)), Reply.turnComplete())
            .turn(Reply.text("Second"), Reply.turnComplete())
            .build());
    GeminiLiveProcessor processor =
        live().activityHandling(GeminiLiveProcessor.ActivityHandling.NO_INTERRUPTION).build();
    StepVerifier.create(GeminiLiveProcessorTest.content(processor.apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(Part.text("First").withRole("model"))
        .then(
            () -> {
              input.tryEmitNext(Part.text("two").withSubstream(Substreams.REALTIME));
              input.tryEmitComplete();
            })
        .expectNext(END, Part.text("Second").withRole("model"), END)
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void whenTheServerStaysSilentTheDrainTimeoutEndsTheSession() throws Exception {
    server.enqueue(Script.builder().turn(Reply.text("Thinking"), Reply.hold()).build());
    // The input ends at once, before the socket is even open: on the real clock a slow connect
    // would spend the drain timeout before the answer. On this clock only the test moves time.
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    GeminiLiveProcessor processor =
        live()
            .scheduler(clock)
            .keepAlive(Duration.ZERO)
            .drainTimeout(Duration.ofMillis(300))
            .build();
    StepVerifier.create(
            GeminiLiveProcessorTest.content(processor.apply(Flux.just(Part.text("Hi")))))
        .expectNext(Part.text("Thinking").withRole("model"))
        .then(() -> clock.advanceTimeBy(Duration.ofMillis(299)))
        .expectNoEvent(Duration.ofMillis(100))
        .then(() -> clock.advanceTimeBy(Duration.ofMillis(1)))
        .expectComplete()
        .verify(WAIT);
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, ""));
  }

  @Test
  void drainTimeoutMustBePositive() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> live().drainTimeout(Duration.ZERO))
        .withMessageContaining("drainTimeout");
  }
}
