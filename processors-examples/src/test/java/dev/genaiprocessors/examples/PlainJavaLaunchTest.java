package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
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
  void aFreshJvmWithALongClassPathAndNoFlagsRunsSileroAndTheResponder(@TempDir Path dir) throws Exception {
    List<String> classPath = new ArrayList<>(testClassPath());
    for (int i = 0; classPath.size() < MIN_ENTRIES || String.join(File.pathSeparator, classPath).length() < MIN_CLASS_PATH_CHARS; i++) {
      Path padding = Files.createDirectories(dir.resolve("class-path-padding-as-a-large-application-has-many-entries-" + i));
      classPath.add(padding.toString());
    }
    Path home = Files.createDirectories(dir.resolve("home"));
    Path output = dir.resolve("output.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder launch = new ProcessBuilder(java, "-cp", String.join(File.pathSeparator, classPath), OfflineEnginesMain.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    // The child's home is empty, to see whether anything writes there; nothing may add JVM flags.
    launch.environment().put("HOME", home.toString());
    Stream.of("XDG_CACHE_HOME", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "ORT_DISABLE_TELEMETRY", "ORT_TELEMETRY_DISABLED")
        .forEach(launch.environment()::remove);

    Process process = launch.start();
    boolean exited = process.waitFor(50, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);

    assertThat(exited).as("the JVM exited within 50 s; it printed:%n%s", printed).isTrue();
    assertThat(process.exitValue()).as("exit code (139 is SIGSEGV); it printed:%n%s", printed).isZero();
    assertThat(printed)
        .contains("silero: 2 speech segments")
        .contains("responder: intent joke");
    try (Stream<Path> written = Files.walk(home)) {
      assertThat(written.filter(Files::isRegularFile)).as("files written to the home directory").isEmpty();
    }
  }

  /**
   * This test's class path as separate entries. Surefire may start the test JVM from a jar whose
   * manifest names the class path; then its entries are read from there.
   */
  private static List<String> testClassPath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      if (Path.of(entry).getFileName().toString().startsWith("surefirebooter")) {
        try (JarFile jar = new JarFile(entry)) {
          String manifestPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
          for (String url : manifestPath.trim().split("\\s+")) {
            entries.add(Path.of(java.net.URI.create(url)).toString());
          }
        }
      } else {
        entries.add(entry);
      }
    }
    return entries;
  }
}
