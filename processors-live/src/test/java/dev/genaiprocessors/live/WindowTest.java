package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class WindowTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  /** Joins the texts of its window. */
  static final Processor JOIN =
      window ->
          window.map(Part::text).collectList().map(l -> Part.text(String.join("+", l))).flux();

  static Flux<Part> turns(String... texts) {
    return Flux.fromArray(texts).map(t -> t.equals("|") ? Part.endOfTurn() : Part.text(t));
  }

  static List<String> run(Window window, Flux<Part> input) {
    return window
        .apply(input)
        .map(p -> p.isEndOfTurn() ? "|" : p.text())
        .collectList()
        .block(Duration.ofSeconds(5));
  }

  @Test
  void eachWindowIsTheHistoryPlusTheTurnAndOutputsComeInWindowOrder() {
    assertThat(run(Window.builder(JOIN).build(), turns("a", "b", "|", "c", "|", "d")))
        .containsExactly("a+b", "|", "a+b+c", "|", "a+b+c+d", "|");
  }

  @Test
  void theHistoryPolicyShortensWhatLaterWindowsSee() {
    Flux<Part> input =
        Flux.just(
            Part.text("u1").withRole("user"),
            Part.endOfTurn(),
            Part.text("u2").withRole("model"),
            Part.endOfTurn(),
            Part.text("u3").withRole("user"));
    assertThat(run(Window.builder(JOIN).history(HistoryPolicy.keepLastTurns(1)).build(), input))
        .containsExactly("u1", "|", "u1+u2", "|", "u2+u3", "|");
  }

  @Test
  void strideSkipsWindows() {
    assertThat(
            run(Window.builder(JOIN).stride(2).build(), turns("a", "|", "b", "|", "c", "|", "d")))
        .containsExactly("a", "|", "a+b+c", "|");
  }

  @Test
  void windowsRunConcurrentlyButComeOutInOrder() {
    Processor slowFirst =
        window ->
            window
                .map(Part::text)
                .collectList()
                .flatMapMany(
                    texts ->
                        Mono.delay(Duration.ofSeconds(texts.size() == 1 ? 5 : 1))
                            .thenReturn(Part.text(String.join("+", texts))));
    StepVerifier.withVirtualTime(
            () -> Window.builder(slowFirst).build().apply(turns("a", "|", "b")))
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(5))
        .expectNext(Part.text("a"), Part.endOfTurn(), Part.text("a+b"), Part.endOfTurn())
        .verifyComplete();
  }

  @Test
  void anErrorOfTheWindowProcessorFailsTheOutput() {
    Processor failing = window -> window.thenMany(Flux.error(new IllegalStateException("no")));
    StepVerifier.create(Window.builder(failing).build().apply(turns("a", "|")))
        .verifyErrorMessage("no");
  }
}
