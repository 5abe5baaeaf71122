package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.testkit.openai.Fault;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Never two responses in the default conversation: requests wait for the one in flight. */
class OpenAiRealtimeActiveResponseTest {
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
  void textDuringAServerStartedResponseIsAnsweredAfterItWithoutAnError() throws Exception {
    // Server VAD starts a response at the first audio and keeps it open 300 ms; the text part's
    // response
    // either waits for it (response.created seen first) or is refused with
    // conversation_already_has_active_response and asked again after it: both end in the same
    // parts.
    server.enqueue(
        Script.builder()
            .on(
                "input_audio_buffer.append",
                Reply.openResponse(Output.text("vad answer")),
                Fault.delay(Duration.ofMillis(300)),
                Reply.finishResponse())
            .on("response.create", Reply.response(Output.text("text answer")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.audio(new byte[4800], 24000)))
        .then(() -> input.tryEmitNext(Part.text("And also this")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(RealtimeTestSupport.modelText(parts)).isEqualTo("vad answertext answer");
    server.assertScriptUsedUp();
  }

  @Test
  void requestsMadeWhileAResponseIsInFlightBecomeOneResponseAfterIt() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.text("first")))
            .on("conversation.item.create")
            .on("conversation.item.create", Reply.finishResponse())
            .on("response.create", Reply.response(Output.text("second")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .thenConsumeWhile(p -> !(p.isText() && "first".equals(p.text())))
        .expectNextMatches(p -> "first".equals(p.text()))
        .then(() -> input.tryEmitNext(Part.text("two")))
        .then(() -> input.tryEmitNext(Part.text("three")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(RealtimeTestSupport.modelText(parts)).isEqualTo("second");
    List<String> creates = new ArrayList<>();
    for (var m = server.takeMessage(Duration.ofMillis(200));
        m != null;
        m = server.takeMessage(Duration.ofMillis(200))) {
      if (m.type().equals("response.create")) {
        creates.add(m.type());
      }
    }
    assertThat(creates).hasSize(2); // "two" and "three" share one response
    server.assertScriptUsedUp();
  }
}
