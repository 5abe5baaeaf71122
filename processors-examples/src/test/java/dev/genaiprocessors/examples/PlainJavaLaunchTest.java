package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engines in a JVM started the way an application is started: {@code java -cp <class path>
 * Main}, no JVM flags, no Maven. The class path is made long on purpose: ONNX Runtime 1.29.0 matched the
 * command line with a recursive regex on the {@code java} launcher's 1 MB main thread, and a command line
 * of a few thousand characters killed the JVM with SIGSEGV (exit 139, no hs_err file); Maven's own
 * launches have short command lines and never showed it.
 */
class PlainJavaLaunchTest {

  /** More than the 44 jars (about 6,000 characters) that crashed. */
  private static final int MIN_ENTRIES = 70;

  private static final int MIN_CLASS_PATH_CHARS = 10_000;

  @Test
  void aFreshJvmWithALongClassPathAndNoFlagsRunsSileroAndTheResponder(@TempDir Path dir)
      throws Exception {
    List<String> classPath = new ArrayList<>(JavaProcess.testClassPath());
    for (int i = 0;
        classPath.size() < MIN_ENTRIES
            || String.join(File.pathSeparator, classPath).length() < MIN_CLASS_PATH_CHARS;
        i++) {
      Path padding =
          Files.createDirectories(
              dir.resolve("class-path-padding-as-a-large-application-has-many-entries-" + i));
      classPath.add(padding.toString());
    }
    // The child's home is empty, to see whether anything writes there.
    Path home = Files.createDirectories(dir.resolve("home"));
    Map<String, String> environment = new HashMap<>();
    environment.put("HOME", home.toString());
    for (String name :
        List.of("XDG_CACHE_HOME", "ORT_DISABLE_TELEMETRY", "ORT_TELEMETRY_DISABLED")) {
      environment.put(name, null);
    }

    JavaProcess run =
        JavaProcess.run(classPath, environment, dir, 50, OfflineEnginesMain.class.getName());

    assertThat(run.exitCode())
        .as("exit code (139 is SIGSEGV, -1 a timeout); it printed:%n%s", run.output())
        .isZero();
    assertThat(run.output())
        .contains("silero: 2 speech segments")
        .contains("responder: intent joke");
    assertThat(occurrences(run.output(), "Loaded Silero VAD v5 "))
        .as("log lines of the Silero load")
        .isOne();
    assertThat(occurrences(run.output(), "Loaded all-MiniLM-L6-v2"))
        .as("log lines of the MiniLM load")
        .isOne();
    try (Stream<Path> written = Files.walk(home)) {
      assertThat(written.filter(Files::isRegularFile))
          .as("files written to the home directory")
          .isEmpty();
    }
  }

  private static long occurrences(String text, String what) {
    return Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
  }
}
