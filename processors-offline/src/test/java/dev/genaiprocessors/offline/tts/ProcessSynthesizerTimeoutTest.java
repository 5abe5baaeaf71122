package dev.genaiprocessors.offline.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeout of a text-to-speech program ends its whole process tree, and the read with it. */
class ProcessSynthesizerTimeoutTest {

  @TempDir Path dir;

  @Test
  void aGrandchildHoldingStandardOutputIsKilledAndTheReadEndsAtTheTimeout() throws Exception {
    Path pidFile = dir.resolve("grandchild.pid");
    Path script =
        Files.writeString(
            dir.resolve("hold-stdout.sh"),
            """
        #!/bin/sh
        sleep 60 &
        echo $! > "$1"
        sleep 60
        """);
    ProcessSynthesizer synthesizer =
        new ProcessSynthesizer(
            "holder",
            List.of("/bin/sh", script.toString(), pidFile.toString()),
            true,
            Duration.ofSeconds(1));

    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () ->
            assertThatThrownBy(() -> synthesizer.synthesize("hello", (pcm, rate) -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holder did not finish within 1 s; it was killed")
                .hasMessageContaining("process(es) it had started"));

    long grandchild = Long.parseLong(Files.readString(pidFile).strip());
    Optional<ProcessHandle> handle = ProcessHandle.of(grandchild);
    if (handle.isPresent()) {
      handle.get().onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive))
        .as("the grandchild")
        .isNotEqualTo(Optional.of(true));
  }
}
