package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** A frame over maxFrameBytes is a typed error naming the limit, never a drop to resume from. */
class GeminiLiveOversizeFrameTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final int LIMIT = 1024;

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

  @ParameterizedTest(name = "session resumption {0}")
  @ValueSource(booleans = {true, false})
  void aFrameOverTheLimitEndsTheSessionWithATypedErrorOnTheFirstConnection(boolean resumption) {
    String big =
        "{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"text\": \""
            + "x".repeat(4 * LIMIT)
            + "\"}]}}}";
    server.enqueue(Script.builder().turn(Reply.raw(big), Reply.turnComplete()).build());
    GeminiLiveProcessor live =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model("gemini-live-2.5-flash-preview")
            .maxFrameBytes(LIMIT)
            .sessionResumption(resumption)
            .reconnect(3, Duration.ofMillis(5))
            .build();
    StepVerifier.create(live.apply(input.asFlux()))
        .expectNextMatches(GeminiLiveParts::isSessionId)
        .expectNextCount(
            resumption ? 1 : 0) // with resumption on, a handle comes with setupComplete
        .then(() -> input.tryEmitNext(Part.text("hi")))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelProtocolException.class)
                    .hasMessageContaining("more than 1024 bytes")
                    .hasMessageContaining("maxFrameBytes")
                    .satisfies(
                        p -> assertThat(((ModelProtocolException) p).closeCode()).isEqualTo(1009)))
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test
  void aMessageWithMorePartsThanTheLimitEndsTheSessionWithATypedErrorAndNoneOfItsParts() {
    String parts = "{\"text\": \"p\"},".repeat(400);
    server.enqueue(
        Script.builder()
            .turn(
                Reply.raw(
                    "{\"serverContent\": {\"modelTurn\": {\"parts\": ["
                        + parts
                        + "{\"text\": \"p\"}]}}}"))
            .build());
    GeminiLiveProcessor live =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model("gemini-live-2.5-flash-preview")
            .receiveBufferCapacity(300)
            .reconnect(3, Duration.ofMillis(5))
            .build();
    StepVerifier.create(live.apply(input.asFlux()).filter(p -> p.isText() && p.text().equals("p")))
        .then(() -> input.tryEmitNext(Part.text("hi")))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelProtocolException.class)
                    .hasMessageContaining("401 parts")
                    .hasMessageContaining("at most 300 per message"))
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(1);
  }
}
