package dev.genaiprocessors.offline.tts;

import dev.genaiprocessors.audio.speech.SpeechSynthesizer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Text to speech with a program installed on the machine, run once per sentence: flite (the most natural
 * voices found offline, BSD-style licence) or espeak-ng (robotic, but many languages; GPL, run as a
 * separate program, so nothing is linked). Neither ships with Java: {@link #flite()} and {@link
 * #espeakNg()} find them on the {@code PATH} and are empty when they are not installed (Debian: {@code
 * apt-get install flite espeak-ng}).
 *
 * <p><b>How.</b> The program writes a WAV file to its standard output, which is read as it arrives
 * (espeak-ng leaves the sizes in the header unknown; only the format is read from it) and handed on in
 * pieces of about 0.2 s. flite gets the text as an argument, espeak-ng on its standard input. The
 * sample rate is the program's: 16 kHz for flite's {@code slt}, 22.05 kHz for espeak-ng.
 *
 * <p><b>Threads and blocking.</b> {@link #synthesize} blocks until the program has finished; each call
 * runs its own process, so calls may be concurrent. A process is killed when the sink asks to stop,
 * and when it runs longer than the {@linkplain #withTimeout timeout} (30 s by default). Killing ends the
 * whole process tree (the program and every process it started, found with {@link
 * ProcessHandle#descendants()}) and closes the pipe, so a child that still holds standard output cannot
 * keep the read blocked: the call returns within the timeout plus the time the kill takes. Finding the
 * program ({@link #flite()}, {@link #espeakNg()}) reads the file system: do it when assembling a pipeline.
 *
 * <p><b>Errors.</b> A program that cannot start, exits with an error, or writes something other than
 * 16-bit mono PCM WAV fails the synthesis with an {@link IllegalStateException} carrying what the
 * program wrote to its standard error.
 */
public final class ProcessSynthesizer implements SpeechSynthesizer {

  private static final Pattern VOICE = Pattern.compile("[A-Za-z0-9_+\\-]{1,64}");
  private static final int MAX_ERROR_CHARS = 2000;

  private final String name;
  private final List<String> command;
  private final boolean textOnStandardInput;
  private final Duration timeout;

  /** For {@link #flite}, {@link #espeakNg} and tests (which run a script of their own). */
  ProcessSynthesizer(
      String name, List<String> command, boolean textOnStandardInput, Duration timeout) {
    this.name = name;
    this.command = List.copyOf(command);
    this.textOnStandardInput = textOnStandardInput;
    this.timeout = timeout;
  }

  /**
   * flite with its {@code slt} voice (16 kHz), when {@code flite} is on the {@code PATH}.
   *
   * @return the synthesizer, or empty when {@code flite} is not installed
   */
  public static Optional<ProcessSynthesizer> flite() {
    return flite("slt");
  }

  /**
   * flite with this voice ({@code slt}, {@code awb}, {@code rms}, {@code kal16}, {@code kal} ...), when
   * {@code flite} is on the {@code PATH}. flite falls back to its default voice for a name it does not know.
   *
   * @param voice the flite voice's name
   * @return the synthesizer, or empty when {@code flite} is not installed
   * @throws IllegalArgumentException when the voice name has characters other than letters, digits, {@code _+-}
   */
  public static Optional<ProcessSynthesizer> flite(String voice) {
    requireVoice(voice);
    return findOnPath("flite")
        .map(
            program ->
                new ProcessSynthesizer(
                    "flite " + voice,
                    List.of(program.toString(), "-voice", voice, "-o", "/dev/stdout", "-t"),
                    false,
                    Duration.ofSeconds(30)));
  }

  /**
   * espeak-ng with its {@code en-us} voice (22.05 kHz), when {@code espeak-ng} is on the {@code PATH}.
   *
   * @return the synthesizer, or empty when {@code espeak-ng} is not installed
   */
  public static Optional<ProcessSynthesizer> espeakNg() {
    return espeakNg("en-us");
  }

  /**
   * espeak-ng with this voice ({@code en-us}, {@code de}, {@code fr} ... see {@code espeak-ng --voices}),
   * when {@code espeak-ng} is on the {@code PATH}. An unknown voice fails the synthesis.
   *
   * @param voice the espeak-ng voice's name
   * @return the synthesizer, or empty when {@code espeak-ng} is not installed
   * @throws IllegalArgumentException when the voice name has characters other than letters, digits, {@code _+-}
   */
  public static Optional<ProcessSynthesizer> espeakNg(String voice) {
    requireVoice(voice);
    return findOnPath("espeak-ng")
        .map(
            program ->
                new ProcessSynthesizer(
                    "espeak-ng " + voice,
                    List.of(program.toString(), "-v", voice, "--stdout", "--stdin"),
                    true,
                    Duration.ofSeconds(30)));
  }

  /**
   * The first executable file of this name in the directories of the {@code PATH}, if any. Reads the file
   * system.
   *
   * @param program the program's file name, such as {@code flite}
   * @return the program's path, or empty when it is not found
   */
  public static Optional<Path> findOnPath(String program) {
    Objects.requireNonNull(program, "program");
    String path = System.getenv("PATH");
    if (path == null || program.isEmpty() || program.contains(File.separator)) {
      return Optional.empty();
    }
    for (String directory : path.split(Pattern.quote(File.pathSeparator))) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * This synthesizer with another limit on how long one sentence may take (at least 1 s).
   *
   * @param timeout the longest time for one sentence, at least 1 s
   * @return a new synthesizer with that limit
   */
  public ProcessSynthesizer withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "timeout must be at least 1 s, was " + timeout.toMillis() + " ms");
    }
    return new ProcessSynthesizer(name, command, textOnStandardInput, timeout);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void synthesize(String text, PcmSink sink) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sink, "sink");
    List<String> arguments = new ArrayList<>(command);
    if (!textOnStandardInput) {
      arguments.add(text);
    }
    Process process;
    try {
      process = new ProcessBuilder(arguments).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start " + command.get(0) + " for " + name + ": " + e.getMessage(), e);
    }
    // Set before the kill, so that a read the kill ends always sees why it ended.
    AtomicBoolean timedOut = new AtomicBoolean();
    AtomicInteger killedDescendants = new AtomicInteger();
    // On boundedElastic: killing reads the process table and closes a pipe, which may block.
    Disposable watchdog =
        Schedulers.boundedElastic()
            .schedule(
                () ->
                    killTree(
                        process,
                        descendants -> {
                          killedDescendants.set(descendants);
                          timedOut.set(true);
                        }),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    CompletableFuture<String> errors =
        Mono.fromCallable(() -> readErrors(process.getErrorStream()))
            .subscribeOn(Schedulers.boundedElastic())
            .toFuture();
    boolean[] stopped = {false};
    try {
      try (OutputStream in = process.getOutputStream()) {
        if (textOnStandardInput) {
          in.write(text.getBytes(StandardCharsets.UTF_8));
        }
      }
      try (InputStream out = process.getInputStream()) {
        WavStream.read(
            out,
            name,
            (pcm, rate) -> {
              if (!sink.accept(pcm, rate)) {
                stopped[0] = true;
                return false;
              }
              return true;
            });
      }
      if (stopped[0]) {
        return;
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process, descendants -> {});
        throw new IllegalStateException(
            name + " did not finish within " + describe(timeout) + "; it was killed");
      }
      if (timedOut.get()) {
        throw new IllegalStateException(
            name
                + " did not finish within "
                + describe(timeout)
                + "; it was killed"
                + killed(killedDescendants.get())
                + describe(errors));
      }
      int exit = process.exitValue();
      if (exit != 0) {
        throw new IllegalStateException(name + " exited with status " + exit + describe(errors));
      }
    } catch (IOException e) {
      if (stopped[0]) {
        return;
      }
      String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IllegalStateException(
          timedOut.get()
              ? name
                  + " did not finish within "
                  + describe(timeout)
                  + "; it was killed"
                  + killed(killedDescendants.get())
                  + " (the read then ended: "
                  + what
                  + ")"
                  + describe(errors)
              : name + " failed: " + what + describe(errors),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " was interrupted", e);
    } finally {
      watchdog.dispose();
      if (process.isAlive() || process.descendants().findAny().isPresent()) {
        killTree(process, descendants -> {});
      }
    }
  }

  /**
   * Kills the process and every process it started (children first, so none is reparented out of
   * reach), then closes the standard output pipe so that a read blocked on it ends.
   *
   * @param found told how many descendants there are, before any is killed (so that a read the kill ends
   *     can already say why)
   */
  private static void killTree(Process process, IntConsumer found) {
    List<ProcessHandle> descendants = process.descendants().toList();
    found.accept(descendants.size());
    for (int i = descendants.size() - 1; i >= 0; i--) {
      descendants.get(i).destroyForcibly();
    }
    process.destroyForcibly();
    try {
      process.getInputStream().close();
    } catch (IOException e) {
      // The pipe is being torn down anyway; the read ends with the process tree.
    }
  }

  private static String killed(int descendants) {
    return descendants == 0 ? "" : ", with the " + descendants + " process(es) it had started";
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Nothing to free: every synthesis runs its own process. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "ProcessSynthesizer[" + name + "]";
  }

  private static void requireVoice(String voice) {
    Objects.requireNonNull(voice, "voice");
    if (!VOICE.matcher(voice).matches()) {
      throw new IllegalArgumentException(
          "a voice name has 1 to 64 letters, digits, '_', '+' or '-'; was '" + voice + "'");
    }
  }

  private static String readErrors(InputStream errors) throws IOException {
    try (errors) {
      byte[] head = errors.readNBytes(MAX_ERROR_CHARS);
      errors.transferTo(OutputStream.nullOutputStream());
      return new String(head, StandardCharsets.UTF_8).strip();
    }
  }

  private static String describe(CompletableFuture<String> errors) {
    try {
      String text = errors.get(2, TimeUnit.SECONDS);
      return text.isEmpty() ? "" : "; it said: " + text;
    } catch (ExecutionException | TimeoutException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
