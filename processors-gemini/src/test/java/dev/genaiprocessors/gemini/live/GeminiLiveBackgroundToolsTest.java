package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Scheduling;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Tools run in the background with the live model, the whole loop against the emulator. */
class GeminiLiveBackgroundToolsTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  GeminiLiveEmulator server;

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  GeminiLiveProcessor live() {
    return GeminiLiveProcessor.builder()
        .uri(server.uri())
        .apiKey(server.apiKey())
        .model(GeminiLiveProcessorTest.MODEL)
        .build();
  }

  static boolean isModelText(Part p, String text) {
    return p.isText()
        && p.role().equals("model")
        && p.substream().isEmpty()
        && p.text().equals(text);
  }

  @Test
  void aSlowToolRunsWhileTheModelTalksItsResultComesWithItsSchedulingAndACancellationStopsATool()
      throws Exception {
    Sinks.One<String> lookupDone = Sinks.one();
    CountDownLatch cancelled = new CountDownLatch(1);
    Tool lookup =
        Tool.async(
            "slow_lookup",
            "Looks something up slowly",
            Wire.object().put("type", "object"),
            args ->
                args.path("q").asString().equals("forever")
                    ? Mono.never().doOnCancel(cancelled::countDown)
                    : lookupDone.asMono());
    server.enqueue(
        Script.builder()
            .turn(
                Reply.toolCall("fc-1", "slow_lookup", "{\"q\": \"answer\"}"),
                Reply.text("Let me check; meanwhile, hello."),
                Reply.turnComplete())
            .turn(Reply.text("The answer is 42."), Reply.turnComplete())
            .turn(
                Reply.toolCall("fc-2", "slow_lookup", "{\"q\": \"forever\"}"),
                Reply.toolCallCancellation("fc-2"),
                Reply.text("Never mind."),
                Reply.turnComplete())
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> out = new CopyOnWriteArrayList<>();
    StepVerifier.create(live().withBackgroundTools(lookup).apply(input.asFlux()).doOnNext(out::add))
        .then(() -> input.tryEmitNext(Part.text("What is the answer?")))
        .thenConsumeWhile(p -> !isModelText(p, "Let me check; meanwhile, hello."))
        .then(() -> lookupDone.tryEmitValue("42"))
        .thenConsumeWhile(p -> !isModelText(p, "The answer is 42."))
        .then(() -> input.tryEmitNext(Part.text("Look up forever")))
        .thenConsumeWhile(p -> !isModelText(p, "Never mind."))
        .then(input::tryEmitComplete)
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);
    assertThat(cancelled.await(5, TimeUnit.SECONDS))
        .as("the server's cancellation cancelled the tool")
        .isTrue();

    JsonNode setup = server.takeMessage("setup", WAIT).body();
    assertThat(setup.at("/tools/0/functionDeclarations").findValuesAsString("behavior"))
        .containsOnly("NON_BLOCKING")
        .hasSize(3); // slow_lookup, cancel_fc, list_fc
    ClientMessage ack = server.takeMessage("toolResponse", WAIT);
    assertThat(ack.body().at("/functionResponses/0/scheduling").asString()).isEqualTo("SILENT");
    assertThat(ack.body().at("/functionResponses/0/willContinue").asBoolean()).isTrue();
    ClientMessage result = server.takeMessage("toolResponse", WAIT);
    assertThat(result.body().at("/functionResponses/0/id").asString()).isEqualTo("fc-1");
    assertThat(result.body().at("/functionResponses/0/scheduling").asString())
        .isEqualTo("WHEN_IDLE");
    assertThat(result.body().at("/functionResponses/0/response/output").asString()).isEqualTo("42");
    ClientMessage ack2 = server.takeMessage("toolResponse", WAIT);
    assertThat(ack2.body().at("/functionResponses/0/id").asString()).isEqualTo("fc-2");
    assertThat(server.takeMessage("toolResponse", Duration.ofMillis(300)))
        .as("no answer to the server's own cancellation")
        .isNull();
    assertThat(out)
        .anySatisfy(p -> assertThat(GeminiLiveParts.cancelledCallIds(p)).containsExactly("fc-2"));
  }

  @Test
  void aBackgroundResponseToABlockingFunctionIsAClearError() {
    Tool t = Tool.of("f", "F", Wire.object().put("type", "object"), args -> "x");
    GeminiLiveProcessor blocking =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model(GeminiLiveProcessorTest.MODEL)
            .tools(t)
            .build();
    Part ack =
        Part.of(
            new dev.genaiprocessors.core.PartContent.FunctionResponse(
                "fc-1",
                "f",
                Wire.object().put("result", "Running in background."),
                Scheduling.SILENT,
                true,
                false));
    StepVerifier.create(blocking.apply(Flux.concat(Flux.just(ack), Flux.never())))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(UnsupportedPartException.class)
                    .hasMessageContaining("declared BLOCKING")
                    .hasMessageContaining("withBackgroundTools"))
        .verify(WAIT);
    assertThatThrownBy(() -> blocking.withBackgroundTools(t))
        .hasMessageContaining("declared twice");
  }

  @Test
  void theEmulatorPausesABlockingFunctionsTurnUntilItsResponse() {
    server.enqueue(
        Script.builder()
            .turn(
                Reply.toolCall("fc-1", "f", "{}"),
                Reply.text("after the response"),
                Reply.turnComplete())
            .build());
    Tool t = Tool.of("f", "F", Wire.object().put("type", "object"), args -> "x");
    GeminiLiveProcessor blocking =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model(GeminiLiveProcessorTest.MODEL)
            .tools(t)
            .build();
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(GeminiLiveProcessorTest.content(blocking.apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("go")))
        .assertNext(p -> assertThat(p.isFunctionCall()).isTrue())
        .expectNoEvent(Duration.ofMillis(200)) // the model waits for the BLOCKING function
        .then(() -> input.tryEmitNext(Part.functionResult("fc-1", "f", Wire.NODES.stringNode("x"))))
        .expectNext(
            Part.text("after the response").withRole("model"), Part.endOfTurn().withRole("model"))
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
  }
}
