package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The math assistant with no key: the local provider, its rule responder and the calculator tool. */
class MathAssistantExampleTest {

  @Test
  void withNoKeyTheLocalProviderAnswersThroughTheCalculator() throws Exception {
    MathAssistantExample.Result result =
        MathAssistantExample.ask(
            MathAssistantExample.QUESTION, Map.of(), null, Duration.ofSeconds(60));
    assertThat(result.provider()).isEqualTo("local");
    assertThat(result.answer()).isEqualTo("The result is 84.");
    assertThat(result.pcm().length).as("FreeTTS speech at 16 kHz").isGreaterThan(16000);
  }

  @Test
  void aCalculatorErrorIsSaidNotThrown() throws Exception {
    MathAssistantExample.Result result =
        MathAssistantExample.ask("What is 5 / 0?", Map.of(), null, Duration.ofSeconds(60));
    assertThat(result.answer())
        .startsWith("I could not work that out")
        .contains("division by zero");
  }
}
