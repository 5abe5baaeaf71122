package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.openai.Action;
import dev.genaiprocessors.testkit.openai.Fault;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * A live provider's emulator in a JVM of its own, for {@link LiveSessionsLoad}: the Gemini Live emulator
 * ({@code gemini}) or the OpenAI Realtime emulator ({@code openai}) of processors-testkit, strict as the
 * real servers, or ({@code light}, as a third argument) {@link LightLiveServer}, which only reads the
 * timestamps. Run as {@code LiveEmulatorMain <gemini|openai> [strict|light]}.
 *
 * <p><b>Audio back.</b> Every session gets 3 s of 24 kHz audio (30 messages of 100 ms, sent at once) 2 s
 * after its setup and then every 5 s: for Gemini the setup reply is a script of {@code setupComplete}
 * followed by these turns (each ending with {@code turnComplete}); for OpenAI, {@code script <n>
 * <bursts>} queues one step per coming session on its {@code session.update}, each a server-started
 * response of that audio every 5 s.
 *
 * <p><b>Commands</b>, one per line on standard input; the answer is one line on standard output. The
 * first line of output is the URI and the key. {@code script <n> <bursts>} prepares the audio of the
 * next n sessions and answers {@code ok}. {@code start <nanos>} forgets what arrived and counts only
 * frames due at or after that {@code System.nanoTime()} (the same monotonic clock across processes on
 * Linux), and answers {@code ok}. {@code report} answers with the send lateness of those frames (see
 * {@link LatenessRecorder#report()}) followed by the CPU this JVM used since {@code start}, in % of a
 * core. Exits when its input closes.
 */
public final class LiveEmulatorMain {
  /** Bursts scripted for each Gemini session: 60 × 5 s, longer than any run. */
  private static final int GEMINI_BURSTS = 60;

  private LiveEmulatorMain() {}

  /**
   * Starts the emulator and serves the commands until standard input closes.
   *
   * @param args the provider ({@code gemini} or {@code openai}) and optionally {@code strict} (the
   *     default) or {@code light}
   * @throws Exception when the emulator cannot start
   */
  public static void main(String[] args) throws Exception {
    LoadProvider provider = LoadProvider.named(args.length > 0 ? args[0] : "gemini");
    boolean light = args.length > 1 && args[1].equals("light");
    LatenessRecorder recorder = new LatenessRecorder();
    AutoCloseable server;
    BiConsumer<Integer, Integer> script = (n, bursts) -> {};
    if (light) {
      LightLiveServer s = LightLiveServer.start(provider, recorder, burst());
      server = s;
      System.out.println(s.uri() + " " + LightLiveServer.KEY);
    } else if (provider == LoadProvider.GEMINI) {
      GeminiLiveEmulator emulator = GeminiLiveEmulator.builder().compactFrames().build().start();
      emulator.enqueue(geminiScript(Duration.ofSeconds(2), Duration.ofSeconds(5), GEMINI_BURSTS));
      server = emulator;
      System.out.println(emulator.uri() + " " + emulator.apiKey());
      daemon(
          () -> {
            while (true) {
              var m = emulator.takeMessage(Duration.ofSeconds(1));
              if (m != null && m.type().equals("realtimeInput") && m.body().has("audio")) {
                recorder.record(m.audio());
              }
            }
          });
    } else {
      OpenAiRealtimeEmulator emulator = OpenAiRealtimeEmulator.builder().build().start();
      server = emulator;
      System.out.println(emulator.uri() + " " + emulator.apiKey());
      Base64.Decoder base64 = Base64.getDecoder();
      daemon(
          () -> {
            while (true) {
              var m = emulator.takeMessage(Duration.ofSeconds(1));
              if (m != null && m.type().equals("input_audio_buffer.append")) {
                String audio = m.json().path("audio").asString();
                // the first 12 Base64 characters hold the first 9 bytes: the due time and one more
                recorder.record(base64.decode(audio.substring(0, Math.min(12, audio.length()))));
              }
            }
          });
      recorder.lost = emulator::forgottenMessages;
      script =
          (n, bursts) ->
              openAiScript(emulator, n, Duration.ofSeconds(2), Duration.ofSeconds(5), bursts);
    }
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split(" ");
      switch (words[0]) {
        case "script" -> {
          if (!light) {
            script.accept(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
          }
          System.out.println("ok");
        }
        case "start" -> {
          recorder.start(Long.parseLong(words[1]));
          cpuStart = os.getProcessCpuTime();
          wallStart = System.nanoTime();
          System.out.println("ok");
        }
        case "report" ->
            System.out.printf(
                Locale.ROOT,
                "%s %.1f%n",
                recorder.report(),
                100.0 * (os.getProcessCpuTime() - cpuStart) / (System.nanoTime() - wallStart));
        default -> System.out.println("unknown command: " + line);
      }
      System.out.flush();
    }
    server.close();
    System.exit(0);
  }

  /** 3 s of 24 kHz 16-bit mono audio in 30 chunks of 100 ms (a quiet 220 Hz tone). */
  static List<byte[]> burst() {
    List<byte[]> chunks = new ArrayList<>();
    for (int c = 0; c < 30; c++) {
      byte[] chunk = new byte[4800];
      for (int i = 0; i < 2400; i++) {
        int t = c * 2400 + i;
        short v = (short) (1000 * Math.sin(2 * Math.PI * 220 * t / 24_000.0));
        chunk[2 * i] = (byte) v;
        chunk[2 * i + 1] = (byte) (v >> 8);
      }
      chunks.add(chunk);
    }
    return chunks;
  }

  /**
   * The Gemini setup reply: {@code setupComplete}, then after {@code first} a burst, then one every
   * {@code period}.
   */
  static dev.genaiprocessors.testkit.gemini.Script geminiScript(
      Duration first, Duration period, int bursts) {
    List<dev.genaiprocessors.testkit.gemini.Step> steps = new ArrayList<>();
    steps.add(dev.genaiprocessors.testkit.gemini.Reply.setupComplete());
    steps.add(dev.genaiprocessors.testkit.gemini.Reply.delay(first));
    List<byte[]> burst = burst();
    for (int b = 0; b < bursts; b++) {
      for (byte[] chunk : burst) {
        steps.add(dev.genaiprocessors.testkit.gemini.Reply.audio(chunk));
      }
      steps.add(dev.genaiprocessors.testkit.gemini.Reply.turnComplete());
      steps.add(dev.genaiprocessors.testkit.gemini.Reply.delay(period));
    }
    return dev.genaiprocessors.testkit.gemini.Script.builder()
        .setupReply(steps.toArray(dev.genaiprocessors.testkit.gemini.Step[]::new))
        .build();
  }

  /**
   * Queues n steps on {@code session.update}, each playing a burst after {@code first} and then one
   * every {@code period}, this many in all.
   */
  static void openAiScript(
      OpenAiRealtimeEmulator emulator, int n, Duration first, Duration period, int bursts) {
    byte[] audio = new byte[30 * 4800];
    List<byte[]> chunks = burst();
    for (int c = 0; c < chunks.size(); c++) {
      System.arraycopy(chunks.get(c), 0, audio, c * 4800, 4800);
    }
    List<Action> actions = new ArrayList<>();
    actions.add(Fault.delay(first));
    for (int b = 0; b < bursts; b++) {
      actions.add(
          dev.genaiprocessors.testkit.openai.Reply.response(Output.audio(audio, "three seconds")));
      actions.add(Fault.delay(period));
    }
    var script = dev.genaiprocessors.testkit.openai.Script.builder();
    Action[] each = actions.toArray(Action[]::new);
    for (int i = 0; i < n; i++) {
      script.on("session.update", each);
    }
    emulator.enqueue(script.build());
  }

  /** What a reading thread does until the JVM exits. */
  private interface Loop {
    void run() throws InterruptedException;
  }

  private static void daemon(Loop loop) {
    Thread reader =
        new Thread(
            () -> {
              try {
                loop.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "emulator-reader");
    reader.setDaemon(true);
    reader.start();
  }
}
