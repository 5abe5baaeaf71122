package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The voice assistant with no key: the local provider hears the voiced question and answers aloud. */
class VoiceAssistantExampleTest {

  @Test
  void withNoKeyTheLocalProviderAnswersTheSpokenQuestionAloudAndPrintsTheReport() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    byte[] reply =
        VoiceAssistantExample.converse(
            LiveVoiceExample.speech(VoiceAssistantExample.QUESTION, 16000),
            Map.of(),
            null,
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(reply.length).as("over half a second of FreeTTS at 16 kHz").isGreaterThan(16000);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("Provider: local")
        .containsPattern("Real-time report of local-\\d+\nStage local\n")
        .contains("    answers: 1")
        .containsPattern("    time to first audio: p95 \\d+ ms")
        .contains("Real-time capable: ");
  }
}
