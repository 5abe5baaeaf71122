package dev.genaiprocessors.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * N concurrent live sessions (Gemini Live or OpenAI Realtime) from one client JVM against the
 * provider's emulator in another, each streaming audio in 20 ms frames in real time and getting 3 s of
 * 24 kHz audio back every 5 s: the CPU and heap the client uses per session, and the send lateness of
 * the frames as the emulator receives them, against a floor measured in the same run, N bare Reactor
 * Netty WebSocket clients sending the same frames and discarding the same audio. Not a JMH benchmark
 * (it measures time on the real clock):
 *
 * <pre>{@code
 * java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.LiveSessionsLoad \
 *     --provider gemini --counts 200,1000 --seconds 20 --mode warm --variants floor,processor
 * }</pre>
 *
 * <p><b>Options.</b> {@code --provider gemini|openai} (default gemini: 16 kHz in, {@code realtimeInput};
 * openai: 24 kHz in, {@code input_audio_buffer.append}). {@code --counts} the session counts (default
 * 200). {@code --seconds} measured per row (default 20). {@code --mode warm} (default: the same load
 * runs {@code --warm} seconds, default 10, before the measured window, the sessions opening one after
 * the other over its first 5 s so that their audio comes back spread over the 5 s period) or {@code
 * fresh} (the frames are measured from the first, due the moment the N sessions open at once, so that
 * their audio also comes back at once, 2 s later). {@code --variants} (default
 * {@code floor,processor}; {@code vad} is the processor with Silero VAD in front, see {@link
 * LoadSessions}). {@code --loopback-warmup S}: the client first warms up S seconds against an emulator
 * in its own JVM ({@link LoadClient}). {@code --client-java PATH} and {@code --client-opts "..."}: the
 * client JVM's launcher and options (for class-data sharing or an AOT cache; the floor rows get them
 * too). {@code --emulator strict|light} ({@link LiveEmulatorMain}). {@code --no-pin}. {@code --then}
 * ends one set of options and starts another, run after it with an emulator JVM of its own.
 *
 * <p><b>Processes.</b> This JVM only coordinates. The emulator ({@link LiveEmulatorMain}) runs in a JVM
 * started once, pinned to CPU 1 with {@code taskset -c 1}; every row runs in a new client JVM ({@link
 * LoadClient}) pinned to CPU 0 with {@code taskset -c 0}, when {@code taskset} exists and the machine
 * has two CPUs or more (the output says whether it pinned). Each row's line gives the CPU per session
 * (% of a core), the heap per session, the send lateness p50/p99/max and the p99 of each of the first
 * five seconds and of the rest, the frames that arrived against those sent, and the audio released per
 * session; then a table gives each processor row against the floor of the same count: the CPU ratio,
 * and the added latency per frame, the processor's lateness minus the floor's at the same percentile.
 */
public final class LiveSessionsLoad {
  private LiveSessionsLoad() {}

  /**
   * Runs the rows and prints them.
   *
   * @param args see the class comment
   * @throws Exception when a process cannot start or a row fails
   */
  public static void main(String[] args) throws Exception {
    List<String> segment = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--then")) {
        run(options(segment.toArray(String[]::new)));
        segment.clear();
      } else {
        segment.add(a);
      }
    }
    run(options(segment.toArray(String[]::new)));
    System.exit(0);
  }

  /** One set of options: its own emulator JVM, then its rows and their summary. */
  private static void run(Map<String, String> o) throws Exception {
    String provider = o.getOrDefault("provider", "gemini");
    LoadProvider.named(provider);
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
    boolean fresh = o.getOrDefault("mode", "warm").equals("fresh");
    int warm = fresh ? 0 : Integer.parseInt(o.getOrDefault("warm", "10"));
    String loopback = o.getOrDefault("loopback-warmup", "0");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String clientJava = o.getOrDefault("client-java", java);
    List<String> clientOpts =
        o.containsKey("client-opts")
            ? Arrays.asList(o.get("client-opts").trim().split("\\s+"))
            : List.of();
    boolean pin =
        !o.containsKey("no-pin")
            && Runtime.getRuntime().availableProcessors() >= 2
            && new File("/usr/bin/taskset").canExecute();
    String cp = System.getProperty("java.class.path");
    List<String> emulatorCommand = new ArrayList<>();
    if (pin) {
      emulatorCommand.addAll(List.of("/usr/bin/taskset", "-c", "1"));
    }
    emulatorCommand.addAll(
        List.of(
            java,
            "-cp",
            cp,
            LiveEmulatorMain.class.getName(),
            provider,
            o.getOrDefault("emulator", "strict")));
    Process emulator =
        new ProcessBuilder(emulatorCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader fromEmulator =
        new BufferedReader(
            new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter toEmulator =
        new PrintWriter(
            new OutputStreamWriter(emulator.getOutputStream(), StandardCharsets.UTF_8), true);
    String[] first = fromEmulator.readLine().split(" ");
    System.out.printf(
        Locale.ROOT,
        "provider=%s mode=%s seconds=%d warm=%d loopback-warmup=%s emulator=%s pinned=%s%n"
            + "client: %s %s%n",
        provider,
        fresh ? "fresh" : "warm",
        seconds,
        warm,
        loopback,
        o.getOrDefault("emulator", "strict"),
        pin ? "yes (client taskset -c 0, emulator taskset -c 1)" : "no",
        clientJava,
        String.join(" ", clientOpts));
    System.out.println(
        "sessions variant cpu%/session heapKiB/session frames lat-p50 p99 max (ms)"
            + " | p99 s0 s1 s2 s3 s4 rest | lost-at-emulator emulator-cpu% audio-s/s health | load");
    List<String[]> rows = new ArrayList<>();
    try {
      for (String c : o.getOrDefault("counts", "200").split(",")) {
        int n = Integer.parseInt(c.trim());
        for (String variant : o.getOrDefault("variants", "floor,processor").split(",")) {
          List<String> command = new ArrayList<>();
          if (pin) {
            command.addAll(List.of("/usr/bin/taskset", "-c", "0"));
          }
          command.add(clientJava);
          command.addAll(clientOpts);
          command.addAll(
              List.of(
                  "-cp",
                  cp,
                  LoadClient.class.getName(),
                  provider,
                  variant,
                  String.valueOf(n),
                  String.valueOf(seconds),
                  String.valueOf(warm),
                  loopback,
                  first[0],
                  first[1]));
          String load = load();
          String row = runClient(command, fromEmulator, toEmulator);
          String[] f = row.split(" ");
          long expected = (long) n * seconds * 50;
          System.out.printf(
              Locale.ROOT,
              "%d %s %s %s %s/%d %s %s %s | %s %s %s %s %s %s | %s %s %s %s | %s%n",
              n,
              variant,
              f[0],
              f[1],
              f[2],
              expected,
              f[3],
              f[4],
              f[5],
              f[6],
              f[7],
              f[8],
              f[9],
              f[10],
              f[11],
              f[12],
              f[13],
              f[14],
              String.join(" ", Arrays.copyOfRange(f, 15, f.length)),
              load);
          String[] keep = new String[f.length + 2];
          keep[0] = String.valueOf(n);
          keep[1] = variant;
          System.arraycopy(f, 0, keep, 2, f.length);
          rows.add(keep);
        }
      }
    } finally {
      toEmulator.close();
      emulator.waitFor(10, TimeUnit.SECONDS);
      emulator.destroy();
    }
    summary(rows);
  }

  /** Each processor row against the floor of its count: CPU ratio and added latency per frame. */
  private static void summary(List<String[]> rows) {
    System.out.println("sessions variant cpu÷floor added-lateness p50 p99 max (ms) p99÷floor");
    for (String[] r : rows) {
      if (r[1].equals("floor")) {
        continue;
      }
      for (String[] floor : rows) {
        if (floor[1].equals("floor") && floor[0].equals(r[0])) {
          System.out.printf(
              Locale.ROOT,
              "%s %s %.2fx %.3f %.3f %.3f %.2fx%n",
              r[0],
              r[1],
              d(r, 2) / d(floor, 2),
              d(r, 5) - d(floor, 5),
              d(r, 6) - d(floor, 6),
              d(r, 7) - d(floor, 7),
              d(r, 6) / d(floor, 6));
        }
      }
    }
  }

  private static double d(String[] row, int i) {
    return Double.parseDouble(row[i]);
  }

  /** Runs one client JVM, relaying its commands to the emulator; its ROW line without the tag. */
  private static String runClient(
      List<String> command, BufferedReader fromEmulator, PrintWriter toEmulator) throws Exception {
    Process client =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter in =
        new PrintWriter(
            new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8), true);
    String row = null;
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("CMD ")) {
        toEmulator.println(line.substring(4));
        in.println(fromEmulator.readLine());
      } else if (line.startsWith("ROW ")) {
        row = line.substring(4);
      } else {
        System.out.println("  client: " + line);
      }
    }
    client.waitFor();
    if (row == null) {
      throw new IllegalStateException("the client JVM ended without a row: " + command);
    }
    return row;
  }

  /** The load averages from /proc/loadavg, or "?" where there is none. */
  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return "load " + f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "load ?";
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("options are --name value, got " + args[i]);
      }
      String name = args[i].substring(2);
      if (name.equals("no-pin")) {
        o.put(name, "");
      } else if (i + 1 < args.length) {
        o.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
    }
    return o;
  }
}
