package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class OpenAiRealtimeTextTurnTest {
  OpenAiRealtimeEmulator server;

  @BeforeEach
  void start() {
    server = OpenAiRealtimeEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aTextPartBecomesAUserItemThenAResponseWhosePartsFollowTheTable() throws Exception {
    server.enqueue(
        Script.builder().on("response.create", Reply.response(Output.text("Hello there"))).build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(parts.stream().map(RealtimeTestSupport::kind).distinct())
        .containsSubsequence("text", "generation_complete", "usage", "end_of_turn");
    assertThat(RealtimeTestSupport.modelText(parts)).isEqualTo("Hello there");
    assertThat(take(server, "session.update").json().at("/session/output_modalities/0").asString())
        .isEqualTo("text");
    assertThat(
            take(server, "conversation.item.create").json().at("/item/content/0/text").asString())
        .isEqualTo("Hi");
    take(server, "response.create");
    server.assertScriptUsedUp();
  }

  @Test
  void aTextPartWithTurnCompleteFalseIsAddedToTheContextWithNoResponse() throws Exception {
    server.enqueue(
        Script.builder().on("response.create", Reply.response(Output.text("Noted"))).build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(
            () ->
                input.tryEmitNext(
                    Part.text("The email to Bob was sent.")
                        .withMetadata(dev.genaiprocessors.core.PartMetadata.TURN_COMPLETE, false)))
        .then(() -> input.tryEmitNext(Part.text("Was it sent?")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(
            take(server, "conversation.item.create").json().at("/item/content/0/text").asString())
        .isEqualTo("The email to Bob was sent.");
    assertThat(
            take(server, "conversation.item.create").json().at("/item/content/0/text").asString())
        .isEqualTo("Was it sent?");
    take(server, "response.create");
    assertThat(server.takeMessage("response.create", java.time.Duration.ofMillis(200)))
        .as("one response, for the second text only")
        .isNull();
    server.assertScriptUsedUp();
  }
}
