package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.gemini.GeminiApiEmulator;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Out-of-band responses on Gemini Live: a turn-based call beside the session (the side model on the
 * Gemini API emulator), marked on the output, never in the live session; its failures end only its own
 * answer.
 */
class GeminiLiveOutOfBandTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String MODEL = "gemini-live-2.5-flash-preview";

  GeminiLiveEmulator live;
  GeminiApiEmulator side;
  Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();

  @BeforeEach
  void start() {
    live = GeminiLiveEmulator.builder().build().start();
    side = GeminiApiEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    live.close();
    side.close();
  }

  GeminiLiveProcessor.Builder processor() {
    return GeminiLiveProcessor.builder().uri(live.uri()).apiKey(live.apiKey()).model(MODEL);
  }

  GeminiModel sideModel() {
    return GeminiModel.builder("gemini-2.5-flash")
        .baseUrl(side.uri().toString())
        .apiKey(side.apiKey())
        .retryPolicy(RetryPolicy.none())
        .build();
  }

  static Flux<Part> content(Flux<Part> output) {
    return output.filter(
        p -> !GeminiLiveParts.isResumptionUpdate(p) && !GeminiLiveParts.isSessionId(p));
  }

  static String text(List<Part> parts) {
    StringBuilder sb = new StringBuilder();
    parts.stream()
        .filter(p -> p.isText() && "model".equals(p.role()))
        .forEach(p -> sb.append(p.text()));
    return sb.toString();
  }

  @Test
  void aRequestIsAnsweredBesideTheSessionFromTheConversationSoFarAndMarked() throws Exception {
    live.enqueue(
        Script.builder()
            .turn(Reply.text("Hello Ann"), Reply.turnComplete())
            .turn(Reply.text("Still here"), Reply.turnComplete())
            .build());
    side.enqueue(GeminiApiEmulator.text("greeting"));
    Part classify =
        OutOfBandRequest.builder()
            .id("oob-1")
            .instructions("Classify the conversation in one word.")
            .metadata("purpose", "classify")
            .build()
            .toPart();
    List<Part> answer = new ArrayList<>();
    List<Part> after = new ArrayList<>();
    StepVerifier.create(
            content(processor().outOfBandModel(sideModel()).build().apply(input.asFlux())))
        .then(() -> input.tryEmitNext(Part.text("My name is Ann")))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(() -> input.tryEmitNext(classify))
        .recordWith(() -> answer)
        .thenConsumeWhile(p -> !(p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p)))
        .expectNextMatches(p -> p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p))
        .then(() -> input.tryEmitNext(Part.text("Are you there?")))
        .recordWith(() -> after)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);

    assertThat(answer)
        .allSatisfy(
            p -> {
              assertThat(p.metadata(OutOfBandRequest.OUT_OF_BAND)).isEqualTo("oob-1");
              assertThat(p.metadata(OutOfBandRequest.REQUEST_METADATA))
                  .isEqualTo(Map.of("purpose", "classify"));
            });
    assertThat(text(answer)).isEqualTo("greeting");
    assertThat(answer).anyMatch(Part::isGenerationComplete);
    assertThat(answer).noneMatch(p -> p.metadata(OutOfBandRequest.ERROR) != null);
    assertThat(text(after)).isEqualTo("Still here");
    assertThat(after).noneMatch(OutOfBandRequest::isOutOfBand);

    // The side call saw the instructions and the conversation so far, as text.
    RecordedRequest request = side.takeRequest(WAIT);
    assertThat(request).isNotNull();
    JsonNode body = request.bodyJson();
    assertThat(body.at("/systemInstruction/parts/0/text").asString())
        .isEqualTo("Classify the conversation in one word.");
    assertThat(body.at("/contents/0/role").asString()).isEqualTo("user");
    assertThat(body.at("/contents/0/parts/0/text").asString()).isEqualTo("My name is Ann");
    assertThat(body.at("/contents/1/role").asString()).isEqualTo("model");
    assertThat(body.at("/contents/1/parts/0/text").asString()).isEqualTo("Hello Ann");
    // The live session never saw the request: its turns are the two user texts only.
    List<String> sent = new ArrayList<>();
    for (var m = live.takeMessage(Duration.ofMillis(200));
        m != null;
        m = live.takeMessage(Duration.ofMillis(200))) {
      sent.add(m.json().toString());
    }
    assertThat(sent).noneMatch(s -> s.contains("Classify") || s.contains("out_of_band"));
    assertThat(sent).anyMatch(s -> s.contains("Are you there?"));
  }

  @Test
  void aRequestWithItsOwnInputSeesOnlyThat() throws Exception {
    side.enqueue(GeminiApiEmulator.text("flight"));
    Part request =
        OutOfBandRequest.builder()
            .id("oob-2")
            .input(Part.text("book a flight"))
            .textOnly()
            .build()
            .toPart();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(
            content(processor().outOfBandModel(sideModel()).build().apply(input.asFlux())))
        .then(() -> input.tryEmitNext(request))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !(p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p)))
        .expectNextMatches(p -> p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p))
        .then(input::tryEmitComplete)
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);
    assertThat(text(parts)).isEqualTo("flight");
    JsonNode body = side.takeRequest(WAIT).bodyJson();
    assertThat(body.path("contents")).hasSize(1);
    assertThat(body.at("/contents/0/parts/0/text").asString()).isEqualTo("book a flight");
    assertThat(body.has("systemInstruction")).isFalse();
  }

  @Test
  void aFailedSideCallEndsItsAnswerWithTheErrorAndTheConversationGoesOn() throws Exception {
    live.enqueue(Script.builder().turn(Reply.text("Yes"), Reply.turnComplete()).build());
    side.enqueue(GeminiApiEmulator.error(400, "INVALID_ARGUMENT", "the side prompt is bad"));
    List<Part> answer = new ArrayList<>();
    List<Part> after = new ArrayList<>();
    StepVerifier.create(
            content(processor().outOfBandModel(sideModel()).build().apply(input.asFlux())))
        .then(
            () ->
                input.tryEmitNext(
                    OutOfBandRequest.builder()
                        .id("oob-3")
                        .input(Part.text("Summarize this."))
                        .build()
                        .toPart()))
        .recordWith(() -> answer)
        .thenConsumeWhile(p -> !(p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p)))
        .expectNextMatches(p -> p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p))
        .then(() -> input.tryEmitNext(Part.text("Still there?")))
        .recordWith(() -> after)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);
    Part complete = answer.stream().filter(Part::isGenerationComplete).findFirst().orElseThrow();
    assertThat(complete.metadata(OutOfBandRequest.OUT_OF_BAND)).isEqualTo("oob-3");
    assertThat((String) complete.metadata(OutOfBandRequest.ERROR))
        .contains("the side prompt is bad");
    assertThat(text(after)).isEqualTo("Yes");
  }

  @Test
  void itemReferencesAreRefusedForGeminiHasNoConversationItems() {
    Part request = OutOfBandRequest.builder().itemReference("item_1").build().toPart();
    StepVerifier.create(
            content(processor().outOfBandModel(sideModel()).build().apply(Flux.just(request))))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(UnsupportedPartException.class)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("item_1")
                    .hasMessageContaining("input(Part)"))
        .verify(WAIT);
    assertThat(side.requestCount()).isZero();
  }

  @Test
  void withoutAnOutOfBandModelARequestFailsNamingTheOption() {
    Part request = OutOfBandRequest.builder().build().toPart();
    StepVerifier.create(content(processor().build().apply(Flux.just(request))))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(UnsupportedPartException.class)
                    .hasMessageContaining("outOfBandModel("))
        .verify(WAIT);
  }
}
