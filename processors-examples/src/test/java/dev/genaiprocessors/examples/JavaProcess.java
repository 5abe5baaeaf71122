package dev.genaiprocessors.examples;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A main class run in a fresh JVM as an application is run: {@code java -cp <class path> Main args},
 * with the JVM of this test and no JVM flags (variables that would add some are removed).
 *
 * @param exitCode the JVM's exit code; -1 when it did not exit in time and was killed
 * @param output what it printed, standard output and error together
 */
record JavaProcess(int exitCode, String output) {

  /**
   * Runs {@code main} with {@code args} and waits for it, at most {@code timeoutSeconds}.
   *
   * @param classPath the entries of the class path
   * @param environment variables to set in the child (a null value removes one)
   * @param workDirectory where it runs and where its output is kept
   */
  static JavaProcess run(
      List<String> classPath,
      Map<String, String> environment,
      Path workDirectory,
      long timeoutSeconds,
      String main,
      String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                String.join(File.pathSeparator, classPath),
                main));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(workDirectory, "java-process", ".txt");
    ProcessBuilder launch =
        new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    Stream.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")
        .forEach(launch.environment()::remove);
    environment.forEach(
        (name, value) -> {
          if (value == null) {
            launch.environment().remove(name);
          } else {
            launch.environment().put(name, value);
          }
        });
    Process process = launch.start();
    boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return new JavaProcess(
        exited ? process.exitValue() : -1, Files.readString(output, StandardCharsets.UTF_8));
  }

  /**
   * This test JVM's class path as separate entries. Surefire may start the test JVM from a jar whose
   * manifest names the class path; then its entries are read from there.
   */
  static List<String> testClassPath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      if (Path.of(entry).getFileName().toString().startsWith("surefirebooter")) {
        try (JarFile jar = new JarFile(entry)) {
          String manifestClassPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
          for (String url : manifestClassPath.trim().split("\\s+")) {
            entries.add(Path.of(URI.create(url)).toString());
          }
        }
      } else {
        entries.add(entry);
      }
    }
    return entries;
  }
}
