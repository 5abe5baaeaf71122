package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.testkit.gemini.Fault;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** A turn cut by a resumed drop ends with an interrupted part, and the calls that died with it are cancelled. */
class GeminiLiveCutTurnTest {
  static final Duration WAIT = Duration.ofSeconds(10);

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

  static boolean reason(Part p) {
    return "connection lost".equals(p.metadata().get(GeminiLiveParts.INTERRUPTION_REASON));
  }

  @Test
  void aDropMidTurnEndsTheTurnWithInterruptedAndCancelsTheRunningBackgroundTool() {
    Sinks.Empty<Void> toolCancelled = Sinks.empty();
    Tool lookup =
        Tool.async(
            "slow_lookup",
            "Looks something up slowly",
            Wire.object().put("type", "object"),
            args -> Mono.never().doOnCancel(toolCancelled::tryEmitEmpty));
    server.enqueue(
        Script.builder()
            .turn(
                Reply.toolCall("fc-1", "slow_lookup", "{}"),
                Reply.text("Checking..."),
                Fault.drop())
            .turn(Reply.text("Back."), Reply.turnComplete())
            .build());
    GeminiLiveProcessor live =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model(GeminiLiveProcessorTest.MODEL)
            .reconnect(3, Duration.ofMillis(5))
            .build();
    List<Part> out = new CopyOnWriteArrayList<>();
    StepVerifier.create(live.withBackgroundTools(lookup).apply(input.asFlux()).doOnNext(out::add))
        .then(() -> input.tryEmitNext(Part.text("Look it up")))
        .thenConsumeWhile(p -> !(p.isText() && p.text().equals("Checking...")))
        .thenConsumeWhile(p -> !p.isInterrupted())
        .then(() -> input.tryEmitNext(Part.text("Still there?")))
        .thenConsumeWhile(p -> !(p.isText() && p.text().equals("Back.")))
        .thenCancel()
        .verify(WAIT);
    StepVerifier.create(toolCancelled.asMono())
        .as("the tool whose call died is cancelled")
        .verifyComplete();

    assertThat(out)
        .filteredOn(GeminiLiveCutTurnTest::reason)
        .satisfiesExactly(
            p -> assertThat(GeminiLiveParts.cancelledCallIds(p)).containsExactly("fc-1"),
            p -> assertThat(p.isInterrupted()).isTrue(),
            p -> assertThat(p.isEndOfTurn()).isTrue());
    int interrupted = indexOf(out, Part::isInterrupted);
    assertThat(interrupted)
        .isGreaterThan(indexOf(out, p -> p.isText() && p.text().equals("Checking...")));
    assertThat(indexOf(out, p -> p.isText() && p.text().equals("Back.")))
        .isGreaterThan(interrupted);
  }

  @Test
  void aDropBetweenTurnsInterruptsNothing() {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("A"), Reply.turnComplete(), Fault.drop())
            .turn(Reply.text("B"), Reply.turnComplete())
            .build());
    GeminiLiveProcessor live =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model(GeminiLiveProcessorTest.MODEL)
            .reconnect(3, Duration.ofMillis(5))
            .build();
    List<Part> out = new CopyOnWriteArrayList<>();
    StepVerifier.create(live.apply(input.asFlux()).doOnNext(out::add))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .thenConsumeWhile(p -> !(p.isText() && p.text().equals("A")))
        .thenConsumeWhile(
            p -> GeminiLiveParts.resumptionHandle(p).filter("handle-1-3"::equals).isEmpty())
        .then(() -> input.tryEmitNext(Part.text("two")))
        .thenConsumeWhile(p -> !(p.isText() && p.text().equals("B")))
        .thenCancel()
        .verify(WAIT);
    assertThat(out).noneMatch(Part::isInterrupted).noneMatch(GeminiLiveCutTurnTest::reason);
  }

  static int indexOf(List<Part> parts, java.util.function.Predicate<Part> p) {
    for (int i = 0; i < parts.size(); i++) {
      if (p.test(parts.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
