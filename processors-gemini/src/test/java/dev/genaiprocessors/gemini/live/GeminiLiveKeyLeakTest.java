package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.testkit.gemini.Fault;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import dev.genaiprocessors.testkit.gemini.Step;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** A server that echoes the key, whole or in part, in a frame or a close reason: no message or log line has it. */
class GeminiLiveKeyLeakTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String KEY = "AIzaSyFAKE-k3y_0123456789abcdefghijklmn";
  static final String PREFIX = KEY.substring(0, 30);

  GeminiLiveEmulator server;

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().apiKey(KEY).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Step[] turn(String how) {
    return switch (how) {
      case "frame-key" -> new Step[] {Reply.raw("{\"echo\": \"" + KEY + "\", oops")};
      case "frame-prefix" -> new Step[] {Reply.raw("not JSON: " + PREFIX)};
      case "mime-key" ->
          new Step[] {
            Reply.raw(
                "{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"inlineData\":"
                    + " {\"mimeType\": \""
                    + KEY
                    + "\", \"data\": \"AAAA\"}}]}}}")
          };
      case "close-key" -> new Step[] {Reply.text("x"), Fault.close(1008, "bad key " + KEY)};
      case "close-prefix" ->
          new Step[] {Reply.text("x"), Fault.close(1011, "bad key " + PREFIX + "...")};
      default -> throw new IllegalArgumentException(how);
    };
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"frame-key", "frame-prefix", "mime-key", "close-key", "close-prefix"})
  void theKeyIsInNoMessageAndNoLogLine(String how) {
    server.enqueue(Script.builder().turn(turn(how)).build());
    GeminiLiveProcessor live =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(KEY)
            .model("gemini-live-2.5-flash-preview")
            .sessionResumption(false)
            .build();
    AtomicReference<Throwable> error = new AtomicReference<>();
    try (LogCapture logs = new LogCapture("dev.genaiprocessors", Level.DEBUG)) {
      StepVerifier.create(live.apply(Flux.concat(Flux.just(Part.text("hi")), Flux.never())).then())
          .expectErrorSatisfies(error::set)
          .verify(WAIT);
      List<String> texts = new java.util.ArrayList<>(logs.lines());
      assertThat(texts).as("log lines").anyMatch(l -> l.contains("ended"));
      for (Throwable t = error.get(); t != null; t = t.getCause()) {
        texts.add(t.toString());
      }
      if (error.get() instanceof ModelException e) {
        texts.add(e.closeReason());
      }
      assertThat(texts)
          .isNotEmpty()
          .allSatisfy(
              text ->
                  assertThat(text)
                      .doesNotContain(PREFIX)
                      .doesNotContain(KEY.substring(8, 16))
                      .doesNotContain(KEY.substring(KEY.length() - 8)));
      assertThat(error.get())
          .isInstanceOfAny(ModelException.class, ModelProtocolException.class)
          .hasMessageContaining("[redacted]");
    }
  }
}
