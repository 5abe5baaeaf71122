package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelAuthenticationException;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.core.error.ModelRequestException;
import dev.genaiprocessors.testkit.gemini.Fault;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Rejected setups, broken servers and sockets that never open: typed errors that never carry the key. */
class GeminiLiveErrorsTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String SECRET = "AIzaSy-not-the-emulator-key-4711";

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

  /** Everything a user could print of an error: message, toString, stack trace with causes. */
  static String printed(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return e + "\n" + e.getMessage() + "\n" + out;
  }

  static ModelException sessionError(Throwable e) {
    assertThat(e).isInstanceOf(ModelException.class);
    return (ModelException) e;
  }

  @Test
  void aBadKeyIs1007WithTheServersReasonAndTheKeyAppearsNowhere() {
    GeminiLiveProcessor processor = live().apiKey(SECRET).build();
    StepVerifier.create(processor.apply(input.asFlux()))
        .expectErrorSatisfies(
            e -> {
              ModelException error = sessionError(e);
              assertThat(error).isInstanceOf(ModelAuthenticationException.class);
              assertThat(error.provider()).isEqualTo("Gemini Live");
              assertThat(error.closeCode()).isEqualTo(1007);
              assertThat(error.closeReason())
                  .isEqualTo("API key not valid. Please pass a valid API key.");
              assertThat(error.getMessage()).contains("1007").contains("API key not valid");
              assertThat(printed(e)).doesNotContain(SECRET);
            })
        .verify(WAIT);
    assertThat(processor.toString()).doesNotContain(SECRET);
  }

  @Test
  void anUnknownModelIs1008WithTheTruncatedReason() {
    StepVerifier.create(
            live()
                .model("gemini-nope")
                .build()
                .apply(input.asFlux())
                .filter(p -> !GeminiLiveParts.isSessionId(p)))
        .expectErrorSatisfies(
            e -> {
              ModelException error = sessionError(e);
              assertThat(error).isInstanceOf(ModelRequestException.class);
              assertThat(error.closeCode()).isEqualTo(1008);
              assertThat(error.closeReason())
                  .startsWith("models/gemini-nope is not found for API version v1beta");
              assertThat(error.closeReason().getBytes(StandardCharsets.UTF_8).length)
                  .isLessThanOrEqualTo(123);
            })
        .verify(WAIT);
  }

  @Test
  void aMalformedFrameIsAProtocolErrorAndTheClientCloses1007() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("ok"), Fault.malformedFrame(), Reply.text("never"))
            .build());
    StepVerifier.create(
            live()
                .build()
                .apply(input.asFlux())
                .filter(
                    p -> !GeminiLiveParts.isResumptionUpdate(p) && !GeminiLiveParts.isSessionId(p)))
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .expectNext(Part.text("ok").withRole("model"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(ModelProtocolException.class)
                  .hasMessageContaining("is not JSON");
              assertThat(((ModelProtocolException) e).closeCode()).isEqualTo(1007);
            })
        .verify(WAIT);
    assertThat(server.takeClose(WAIT).code()).isEqualTo(1007);
    assertThat(server.connectionCount())
        .isEqualTo(1); // not resumed: the same server would do it again
  }

  @Test
  void contentBeforeSetupCompleteIsAProtocolError1002() throws Exception {
    server.enqueue(
        Script.builder().setupReply(Reply.text("too early"), Reply.setupComplete()).build());
    StepVerifier.create(
            live().build().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(ModelProtocolException.class)
                  .hasMessageContaining("before setupComplete");
              assertThat(((ModelProtocolException) e).closeCode()).isEqualTo(1002);
            })
        .verify(WAIT);
    assertThat(server.takeClose(WAIT).code()).isEqualTo(1002);
  }

  @Test
  void aSetupThatIsNeverAnsweredTimesOut() {
    // gemini-3.1 never answers a setup that asks for affective dialog; here the script leaves
    // setupComplete out
    server.enqueue(Script.builder().setupReply().build());
    StepVerifier.create(
            live()
                .setupTimeout(Duration.ofMillis(200))
                .build()
                .apply(input.asFlux())
                .filter(p -> !GeminiLiveParts.isSessionId(p)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("did not answer the setup")
                    .hasMessageContaining("the setup sent model, sessionResumption")
                    .hasMessageNotContaining("affective"))
        .verify(WAIT);
  }

  @Test
  void aSocketThatCannotOpenIsASessionErrorWithoutTheKeyEvenWhenTheUriHasOne() {
    int port = server.port();
    server.close();
    URI uri = URI.create("ws://127.0.0.1:" + port + GeminiLiveEmulator.PATH + "?key=" + SECRET);
    StepVerifier.create(live().uri(uri).apiKey(SECRET).build().apply(Flux.never()))
        .expectErrorSatisfies(
            e -> {
              assertThat(sessionError(e).closeCode()).isEqualTo(1006);
              assertThat(e.getMessage()).contains("could not open");
              assertThat(printed(e)).doesNotContain(SECRET);
            })
        .verify(WAIT);
  }

  @Test
  void aWrongPathFailsTheHandshake() {
    URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws/nothing-here");
    StepVerifier.create(live().uri(uri).build().apply(Flux.never()))
        .expectErrorSatisfies(
            e -> assertThat(sessionError(e).getMessage()).contains("could not open"))
        .verify(WAIT);
  }
}
