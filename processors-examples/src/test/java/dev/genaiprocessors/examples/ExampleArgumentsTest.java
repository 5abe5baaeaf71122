package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the examples do with arguments they cannot use: they say so, before starting anything, and exit 2. */
class ExampleArgumentsTest {

  @Test
  void aWavFileThatDoesNotExistIsNamedAndEndsTheRunWithExitCode2(@TempDir Path dir)
      throws Exception {
    Path missing = dir.resolve("no-such-recording.wav");
    for (Class<?> example :
        List.of(SpeechSegmentsExample.class, VoiceAgentExample.class, LiveVoiceExample.class)) {
      JavaProcess run =
          JavaProcess.run(
              JavaProcess.testClassPath(),
              Map.of(),
              dir,
              50,
              example.getName(),
              missing.toString());
      assertThat(run.exitCode())
          .as("%s exit code; it printed:%n%s", example.getSimpleName(), run.output())
          .isEqualTo(2);
      assertThat(run.output())
          .as(example.getSimpleName())
          .contains("No such WAV file: " + missing)
          .doesNotContain("synthesising")
          .doesNotContain("Exception");
    }
  }

  @Test
  void aMissingMicrophoneOrSpeakerIsReportedBeforeTheSession() {
    List<String> none = List.of();
    List<String> one = List.of("Built-in Audio");
    assertThat(LiveVoiceExample.deviceProblem(true, () -> none, false, () -> none))
        .contains("--mic: Java Sound sees no microphone")
        .contains("Nothing was started")
        .doesNotContain("--speaker:");
    assertThat(LiveVoiceExample.deviceProblem(false, () -> none, true, () -> none))
        .contains("--speaker: Java Sound sees no speaker")
        .doesNotContain("--mic:");
    assertThat(LiveVoiceExample.deviceProblem(true, () -> none, true, () -> none))
        .contains("--mic:")
        .contains("--speaker:");
    assertThat(LiveVoiceExample.deviceProblem(true, () -> one, true, () -> one)).isNull();
    assertThat(LiveVoiceExample.deviceProblem(false, () -> none, false, () -> none)).isNull();
  }
}
