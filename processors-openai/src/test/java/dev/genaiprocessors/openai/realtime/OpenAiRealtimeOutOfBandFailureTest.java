package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Out-of-band answers that fail, as the {@link dev.genaiprocessors.live.LiveProcessor} contract says: a marked
 * generation-complete part with {@link OutOfBandRequest#ERROR}, a marked end of turn, and the conversation
 * goes on; and answers cut short, which are not failures.
 */
class OpenAiRealtimeOutOfBandFailureTest {
  OpenAiRealtimeEmulator server;

  @BeforeEach
  void start() {
    server = OpenAiRealtimeEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static boolean outOfBandEnd(Part p) {
    return p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p);
  }

  static boolean conversationEnd(Part p) {
    return p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p);
  }

  /** The parts after this one. */
  static List<Part> after(List<Part> parts, Part last) {
    return parts.subList(parts.indexOf(last) + 1, parts.size());
  }

  static Part generationComplete(List<Part> parts) {
    return parts.stream().filter(Part::isGenerationComplete).findFirst().orElseThrow();
  }

  /**
   * Sends the out-of-band request, waits for its answer's end, then has one conversation turn ("Hi")
   * and completes the input.
   *
   * @return every part the session gave, in order
   */
  List<Part> requestThenATurn(Part request) {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(request))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !outOfBandEnd(p))
        .expectNextMatches(OpenAiRealtimeOutOfBandFailureTest::outOfBandEnd)
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .thenConsumeWhile(p -> !conversationEnd(p))
        .expectNextMatches(OpenAiRealtimeOutOfBandFailureTest::conversationEnd)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    return parts;
  }

  @Test
  void aFailedOutOfBandResponseEndsItsAnswerWithTheErrorAndTheConversationGoesOn() {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.failedResponse(
                    "server_error",
                    "internal_error",
                    "The server had an error with key " + server.apiKey() + " in it."))
            .on("response.create", Reply.response(Output.text("Hello there")))
            .build());
    Part classify =
        OutOfBandRequest.builder()
            .id("oob-1")
            .metadata("purpose", "classify")
            .emptyInput()
            .textOnly()
            .build()
            .toPart();
    List<Part> parts = requestThenATurn(classify);

    List<Part> outOfBand = parts.stream().filter(OutOfBandRequest::isOutOfBand).toList();
    List<Part> conversation = after(parts, outOfBand.get(outOfBand.size() - 1));
    assertThat(outOfBand)
        .allSatisfy(
            p -> {
              assertThat(p.metadata(OutOfBandRequest.OUT_OF_BAND)).isEqualTo("oob-1");
              assertThat(p.metadata(OutOfBandRequest.REQUEST_METADATA))
                  .isEqualTo(Map.of("purpose", "classify"));
            });
    Part complete = generationComplete(outOfBand);
    assertThat(complete.metadata(RealtimeParts.RESPONSE_STATUS)).isEqualTo("failed");
    assertThat((String) complete.metadata(OutOfBandRequest.ERROR))
        .startsWith("the response failed: server_error (internal_error): The server had an error")
        .doesNotContain(server.apiKey());
    assertThat(outOfBand.get(outOfBand.size() - 1).isEndOfTurn()).isTrue();
    assertThat(outOfBand.indexOf(complete)).isLessThan(outOfBand.size() - 1);
    assertThat(RealtimeTestSupport.modelText(conversation)).isEqualTo("Hello there");
    assertThat(conversation).noneMatch(OutOfBandRequest::isOutOfBand);
    assertThat(generationComplete(conversation).metadata(OutOfBandRequest.ERROR)).isNull();
    server.assertScriptUsedUp();
  }

  @Test
  void aRefusedOutOfBandResponseCreateEndsItsAnswerWithTheErrorAndTheConversationGoesOn()
      throws Exception {
    // The emulator refuses a reference to an item the conversation does not have, with an error
    // event that echoes the response.create's event_id; no response is created.
    server.enqueue(
        Script.builder().on("response.create", Reply.response(Output.text("Hello there"))).build());
    Part summarize =
        OutOfBandRequest.builder()
            .id("oob-2")
            .itemReference("item_nope")
            .textOnly()
            .build()
            .toPart();
    List<Part> parts = requestThenATurn(summarize);

    List<Part> outOfBand = parts.stream().filter(OutOfBandRequest::isOutOfBand).toList();
    List<Part> conversation = after(parts, outOfBand.get(outOfBand.size() - 1));
    ClientMessage create = take(server, "response.create");
    assertThat(create.json().path("event_id").asString()).isEqualTo("out_of_band_oob-2");
    assertThat(outOfBand).hasSize(2);
    assertThat(outOfBand).allMatch(p -> "oob-2".equals(p.metadata(OutOfBandRequest.OUT_OF_BAND)));
    assertThat(outOfBand.get(0).isGenerationComplete()).isTrue();
    assertThat((String) outOfBand.get(0).metadata(OutOfBandRequest.ERROR))
        .isEqualTo(
            "the response.create was refused: invalid_request_error (invalid_value): Item with id"
                + " 'item_nope' not found in the conversation.");
    assertThat(outOfBand.get(1).isEndOfTurn()).isTrue();
    assertThat(RealtimeTestSupport.modelText(conversation)).isEqualTo("Hello there");
    server.assertScriptUsedUp();
  }

  @Test
  void anOutOfBandAnswerCutShortByMaxOutputTokensIsNotAFailure() {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.incompleteResponse("max_output_tokens", Output.text("Once upon")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    Part story = OutOfBandRequest.builder().id("oob-3").emptyInput().textOnly().build().toPart();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(story))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !outOfBandEnd(p))
        .expectNextMatches(OpenAiRealtimeOutOfBandFailureTest::outOfBandEnd)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);

    List<Part> outOfBand = parts.stream().filter(OutOfBandRequest::isOutOfBand).toList();
    assertThat(RealtimeTestSupport.modelText(outOfBand)).isEqualTo("Once upon");
    Part complete = generationComplete(outOfBand);
    assertThat(complete.metadata(RealtimeParts.RESPONSE_STATUS)).isEqualTo("incomplete");
    assertThat(complete.metadata(RealtimeParts.RESPONSE_STATUS_REASON))
        .isEqualTo("max_output_tokens");
    assertThat(complete.metadata(OutOfBandRequest.ERROR)).isNull();
    server.assertScriptUsedUp();
  }
}
