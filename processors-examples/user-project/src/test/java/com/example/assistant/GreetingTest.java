package com.example.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.testkit.EmulatorExtension;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

/** A Gemini Live conversation tested against the emulator of processors-testkit, on 127.0.0.1. */
class GreetingTest {

  /** A started emulator per test, closed after it; the test fails if its script is not used up. */
  @RegisterExtension
  final EmulatorExtension<GeminiLiveEmulator> gemini =
      EmulatorExtension.of(() -> GeminiLiveEmulator.builder().build());

  @Test
  void theModelAnswersATextTurn() {
    gemini
        .get()
        .enqueue(
            Script.builder()
                .turn(Reply.text("Hello, Ada!"), Reply.generationComplete(), Reply.turnComplete())
                .build());
    GeminiLiveProcessor live =
        GeminiLiveProcessor.builder()
            .uri(gemini.get().uri())
            .apiKey(gemini.get().apiKey())
            .model("gemini-live-2.5-flash-preview")
            .build();

    // The model's text, joined (signals such as turnComplete are parts with empty text).
    String said =
        live.apply(Flux.just(Part.text("Hi, I am Ada")))
            .filter(Part::isText)
            .map(Part::text)
            .collect(Collectors.joining())
            .block(Duration.ofSeconds(10));

    assertEquals("Hello, Ada!", said);
  }
}
