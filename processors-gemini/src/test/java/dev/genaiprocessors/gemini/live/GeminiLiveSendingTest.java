package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.node.ObjectNode;

/** What the processor sends, end to end against the emulator: schemas, video, the 3.1 mapping. */
class GeminiLiveSendingTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String MODEL_31 = "gemini-3.1-flash-live-preview";

  GeminiLiveEmulator server;

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  GeminiLiveProcessor.Builder live(String model) {
    return GeminiLiveProcessor.builder().uri(server.uri()).apiKey(server.apiKey()).model(model);
  }

  ClientMessage take(String type) throws InterruptedException {
    ClientMessage m = server.takeMessage(type, WAIT);
    assertThat(m).as("a %s message", type).isNotNull();
    return m;
  }

  @Test
  void aToolWithANullableParameterGetsASessionAndItsSchemaAsTheApiTakesIt() throws Exception {
    ObjectNode declaration =
        (ObjectNode)
            Wire.JSON.readTree(
                """
        {"name": "note", "description": "Take a note", "strict": true,
         "parameters": {"type": "object", "properties": {"text": {"type": ["string", "null"]}}, "required": ["text"]}}""");
    StepVerifier.create(
            GeminiLiveProcessorTest.content(
                live(GeminiLiveProcessorTest.MODEL)
                    .functionDeclaration(declaration, false)
                    .build()
                    .apply(Flux.just(Part.text("hi")))))
        .expectNext(
            Part.text("hi").withRole("model"),
            Part.generationComplete(),
            Part.endOfTurn().withRole("model"))
        .expectComplete()
        .verify(WAIT);
    assertThat(take("setup").body().at("/tools/0/functionDeclarations/0"))
        .isEqualTo(
            Wire.JSON.readTree(
                """
        {"name": "note", "description": "Take a note",
         "parameters": {"type": "OBJECT", "properties": {"text": {"type": "STRING", "nullable": true}}, "required": ["text"]}}"""));
  }

  @Test
  void aVideoPartFailsTheSessionWithWhatToSendInstead() throws Exception {
    Flux<Part> in =
        Flux.concat(
            Flux.just(
                Part.bytes(new byte[] {0, 0, 1}, "video/mp4").withSubstream(Substreams.REALTIME)),
            Flux.never());
    StepVerifier.create(live(GeminiLiveProcessorTest.MODEL).build().apply(in))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(UnsupportedPartException.class)
                    .hasMessageContaining("video/mp4")
                    .hasMessageContaining("image part"))
        .verify(WAIT);
  }

  @Test
  void under31InitialHistoryGoesAsClientContentAndHeldTextAsOneRealtimeText() throws Exception {
    GeminiLiveProcessor processor =
        live(MODEL_31)
            .initialHistory(
                Part.text("I am Ada.").withRole("user"), Part.text("Hello Ada!").withRole("model"))
            .build();
    Flux<Part> in =
        Flux.just(
            Part.text("Remember").withMetadata(PartMetadata.TURN_COMPLETE, false),
            Part.text("this"),
            Part.text("and this").withMetadata(PartMetadata.TURN_COMPLETE, false),
            Part.endOfTurn());
    StepVerifier.create(GeminiLiveProcessorTest.content(processor.apply(in)))
        .expectNext(
            Part.text("Remember\nthis").withRole("model"),
            Part.generationComplete(),
            Part.endOfTurn().withRole("model"))
        .expectNext(
            Part.text("and this").withRole("model"),
            Part.generationComplete(),
            Part.endOfTurn().withRole("model"))
        .expectComplete()
        .verify(WAIT);
    assertThat(take("setup").body().path("historyConfig"))
        .isEqualTo(Wire.JSON.readTree("{\"initialHistoryInClientContent\": true}"));
    assertThat(take("clientContent").body().path("turns").size()).isEqualTo(2);
    assertThat(take("realtimeInput").body().path("text").asString()).isEqualTo("Remember\nthis");
    assertThat(take("realtimeInput").body().path("text").asString()).isEqualTo("and this");
  }
}
