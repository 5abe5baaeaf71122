package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background-agent example run as an application is run: {@code java -cp <class path> Main}, with no
 * key, so against the Gemini emulator and the local agent server, both on 127.0.0.1.
 */
class BackgroundAgentExampleTest {

  @Test
  void theAssistantSpeaksTheResultsOfItsBackgroundTasks(@TempDir Path dir) throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("GEMINI_API_KEY", null);
    environment.put("OPENAI_API_KEY", null);

    JavaProcess run =
        JavaProcess.run(
            JavaProcess.testClassPath(),
            environment,
            dir,
            90,
            BackgroundAgentExample.class.getName());

    assertThat(run.exitCode()).as("exit code; it printed:%n%s", run.output()).isZero();
    assertThat(run.output())
        .contains("Using the local Gemini Live emulator")
        .contains("Background agent server on http://127.0.0.1:")
        .contains("you: Please email Bob")
        .contains("[background task t1 started]")
        .contains("email_sent")
        .contains("calendar_updated")
        .contains("assistant (report): Your email to Bob has been sent.")
        .contains("assistant (report): Lunch with Ann is on your calendar.")
        .contains("trace: genai.agent.task")
        .contains("outcome=completed")
        .contains("Done: 3 tasks, 3 finished.");
  }
}
