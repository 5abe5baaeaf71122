package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The voice assistant with no key: the local provider hears the voiced question and answers aloud. */
class VoiceAssistantExampleTest {

  @Test
  void withNoKeyTheLocalProviderAnswersTheSpokenQuestionAloud() throws Exception {
    byte[] reply =
        VoiceAssistantExample.converse(
            LiveVoiceExample.speech(VoiceAssistantExample.QUESTION, 16000), Map.of(), null);
    assertThat(reply.length).as("over half a second of FreeTTS at 16 kHz").isGreaterThan(16000);
  }
}
