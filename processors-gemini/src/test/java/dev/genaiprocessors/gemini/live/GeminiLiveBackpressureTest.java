package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import dev.genaiprocessors.testkit.gemini.Step;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Memory stays flat when the subscriber is slow, and while the socket is not ready. */
class GeminiLiveBackpressureTest {
  static final Duration WAIT = Duration.ofSeconds(20);

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
        .model("gemini-live-2.5-flash-preview");
  }

  @Test
  void aSubscriberThatDoesNotRequestHoldsTheServerBackWithABoundedBuffer() {
    int chunks = 2000;
    byte[] pcm = new byte[12_000]; // 2000 frames of ~16 kB: far more than the socket buffers hold
    Step[] turn = new Step[chunks + 1];
    for (int i = 0; i < chunks; i++) {
      turn[i] = Reply.audio(pcm);
    }
    turn[chunks] = Reply.turnComplete();
    server.enqueue(Script.builder().turn(turn).build());
    GeminiLiveProcessor processor =
        live().sessionResumption(false).receiveBufferCapacity(16).build();
    input.tryEmitNext(Part.text("talk a lot"));
    StepVerifier.create(processor.apply(input.asFlux()), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(500))
        .then(
            () -> {
              assertThat(server.queuedFrames()).as("frames the server could not send").isPositive();
              assertThat(processor.latestSession.receivedHighWater()).isEqualTo(16);
            })
        .thenRequest(Long.MAX_VALUE)
        .expectNextMatches(GeminiLiveParts::isSessionId)
        .expectNextCount(chunks)
        .expectNext(Part.endOfTurn().withRole("model"))
        .thenCancel()
        .verify(WAIT);
    assertThat(processor.latestSession.receivedHighWater()).isEqualTo(16);
  }

  @Test
  void whileNotConnectedTheSendQueueDropsTheOldestRealtimeMediaAndKeepsText() throws Exception {
    server.enqueue(
        Script.builder()
            .setupReply(Reply.delay(Duration.ofMillis(300)), Reply.setupComplete())
            .build());
    for (int i = 0; i < 10; i++) {
      input.tryEmitNext(
          Part.audio(new byte[] {(byte) i, 0}, 16000).withSubstream(Substreams.REALTIME));
    }
    input.tryEmitNext(Part.text("done"));
    StepVerifier.create(
            live()
                .sendQueueCapacity(4)
                .build()
                .apply(input.asFlux())
                .filter(
                    p -> !GeminiLiveParts.isResumptionUpdate(p) && !GeminiLiveParts.isSessionId(p)))
        .expectNext(
            Part.text("done")
                .withRole("model")) // the emulator echoes text turns when its script is empty
        .thenCancel()
        .verify(WAIT);
    server.takeMessage("setup", WAIT);
    for (int kept = 7; kept <= 9; kept++) {
      ClientMessage audio = server.takeMessage(WAIT);
      assertThat(audio.audio()).containsExactly((byte) kept, 0);
    }
    assertThat(server.takeMessage(WAIT).body().at("/turns/0/parts/0/text").asString())
        .isEqualTo("done");
  }
}
