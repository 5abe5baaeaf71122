package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.server.ConversationReport;
import dev.genaiprocessors.server.VoiceServer;
import dev.genaiprocessors.testkit.twilio.TwilioCallRecord;
import dev.genaiprocessors.testkit.twilio.TwilioCaller;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Many phone conversations at once on loopback: each a {@link TwilioCaller} streaming a tone for the given
 * seconds in 20 ms μ-law frames (then one second of silence, and {@code stop}), through a {@link
 * VoiceServer} whose pipeline echoes the audio ({@link EchoVoiceServer}). Not a test and not a JMH
 * benchmark, since what it measures is a real-time run:
 *
 * <pre>{@code
 * java -Xmx2g -cp processors-benchmarks/target/benchmarks.jar \
 *     dev.genaiprocessors.benchmarks.ConversationLoad 200 30
 * }</pre>
 *
 * <p>The <b>floor</b> runs first in the same JVM: the same callers against a bare Reactor Netty WebSocket
 * server that parses each frame and answers each {@code media} with the same payload and a {@code mark}
 * (what the VoiceServer sends too). The callers' own cost is in both; the difference is what the server
 * adds: decoding, resampling 8↔16 kHz, the pipeline, the rate limiter that paces the output, encoding.
 *
 * <p>It reports, for each: process CPU time over the run per conversation (as a share of one core), the
 * heap used after a full GC at 1/3, 2/3 and the end of the streaming, minus the heap before the run, per
 * conversation; and what was lost: calls that did not hear all of their tone echoed, protocol errors,
 * inbound audio the server dropped. Exits with status 1 when anything was lost. Reads the load average from
 * {@code /proc/loadavg}, since the machine may be shared.
 */
public final class ConversationLoad {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ConversationLoad() {}

  /** One run's figures. */
  private record Run(
      String name,
      int conversations,
      long wallMillis,
      long cpuMillis,
      long heapBeforeBytes,
      List<Long> heapAfterGcBytes,
      List<TwilioCallRecord> calls,
      int lostCalls) {

    double coreSharePerConversation() {
      return 100.0 * cpuMillis / wallMillis / conversations;
    }

    double heapPerConversationKiB(int sample) {
      return (heapAfterGcBytes.get(sample) - heapBeforeBytes) / 1024.0 / conversations;
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    if (n < 1 || seconds < 3) {
      throw new IllegalArgumentException("give the conversations (>= 1) and seconds (>= 3)");
    }
    System.out.printf(
        Locale.ROOT,
        "%d conversations, %d s of audio each; %d cores, max heap %d MiB; load average before: %s%n",
        n,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        loadAverage());

    DisposableServer floor = floorServer();
    Run floorRun =
        run(
            "floor (bare Reactor Netty echo)",
            n,
            seconds,
            URI.create("ws://127.0.0.1:" + floor.port() + "/twilio"));
    floor.disposeNow();
    System.out.println("load average after the floor: " + loadAverage());

    List<ConversationReport> reports = new CopyOnWriteArrayList<>();
    VoiceServer server =
        EchoVoiceServer.builder(n + 10, e -> reports.add(e.report())).build().start();
    Run serverRun =
        run("VoiceServer + TwilioCodec + echo", n, seconds, server.webSocketUri("/twilio"));
    server.drain(Duration.ofSeconds(5)).block(Duration.ofSeconds(60));
    System.out.println("load average after the server: " + loadAverage());

    long droppedIn = reports.stream().mapToLong(ConversationReport::audioPartsDropped).sum();
    print(floorRun);
    print(serverRun);
    System.out.printf(
        Locale.ROOT,
        "server reports: %d conversations, inbound audio parts dropped %d%n",
        reports.size(),
        droppedIn);
    System.out.printf(
        Locale.ROOT,
        "added by the server per conversation: %.3f%% of a core, %.1f KiB of heap (at the end)%n",
        serverRun.coreSharePerConversation() - floorRun.coreSharePerConversation(),
        serverRun.heapPerConversationKiB(2) - floorRun.heapPerConversationKiB(2));
    boolean lost =
        floorRun.lostCalls() > 0
            || serverRun.lostCalls() > 0
            || droppedIn > 0
            || reports.size() != n;
    System.out.println(lost ? "LOST: see above" : "nothing lost");
    System.exit(lost ? 1 : 0);
  }

  private static Run run(String name, int n, int seconds, URI uri) throws Exception {
    TwilioCaller caller =
        TwilioCaller.builder(uri)
            .say(tone(16000, seconds * 1000), 16000)
            .pause(Duration.ofSeconds(1)) // the echo of the tone comes back before stop
            .keepDetails(false)
            .build();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<Long> heap = new CopyOnWriteArrayList<>();
    Disposable sampler =
        Flux.just(seconds * 1000L / 3, seconds * 2000L / 3, seconds * 1000L - 500)
            .concatMap(
                at -> Mono.delay(Duration.ofMillis(at - (System.nanoTime() - t0) / 1_000_000)))
            .subscribe(
                x -> {
                  System.gc();
                  heap.add(memory.getHeapMemoryUsage().getUsed());
                });
    List<TwilioCallRecord> calls =
        Flux.range(0, n)
            .flatMap(i -> caller.call(), n)
            .collectList()
            .block(Duration.ofSeconds(seconds + 120L));
    long wall = (System.nanoTime() - t0) / 1_000_000;
    long cpu = (os.getProcessCpuTime() - cpu0) / 1_000_000;
    sampler.dispose();
    int lost = 0;
    for (TwilioCallRecord r : calls) {
      if (r.receivedMillis() < seconds * 1000L || !r.protocolErrors().isEmpty()) {
        lost++;
        if (lost <= 5) {
          System.out.println(name + ": lost on " + r);
        }
      }
    }
    while (heap.size() < 3) {
      heap.add(memory.getHeapMemoryUsage().getUsed());
    }
    return new Run(name, n, wall, cpu, heapBefore, new ArrayList<>(heap), calls, lost);
  }

  private static void print(Run r) {
    System.out.printf(
        Locale.ROOT,
        "%s: %d calls in %.1f s; CPU %.1f s = %.3f%% of a core per conversation; heap after GC at 1/3, 2/3,"
            + " end: %.1f, %.1f, %.1f KiB per conversation (%.1f, %.1f, %.1f MiB over %.1f MiB before); calls"
            + " that lost audio: %d%n",
        r.name(),
        r.calls().size(),
        r.wallMillis() / 1000.0,
        r.cpuMillis() / 1000.0,
        r.coreSharePerConversation(),
        r.heapPerConversationKiB(0),
        r.heapPerConversationKiB(1),
        r.heapPerConversationKiB(2),
        r.heapAfterGcBytes().get(0) / 1048576.0,
        r.heapAfterGcBytes().get(1) / 1048576.0,
        r.heapAfterGcBytes().get(2) / 1048576.0,
        r.heapBeforeBytes() / 1048576.0,
        r.lostCalls());
  }

  /** The floor: parses each frame and answers each media with the same payload and a mark. */
  private static DisposableServer floorServer() {
    return HttpServer.create()
        .host("127.0.0.1")
        .port(0)
        .route(
            r ->
                r.ws(
                    "/twilio",
                    (in, out) -> {
                      long[] marks = {0};
                      return out.sendString(
                          in.receive()
                              .asString()
                              .concatMapIterable(
                                  text -> {
                                    JsonNode m = JSON.readTree(text);
                                    if (!"media".equals(m.path("event").asString(""))) {
                                      return List.<String>of();
                                    }
                                    String sid = m.path("streamSid").asString("");
                                    ObjectNode media =
                                        JSON.createObjectNode()
                                            .put("event", "media")
                                            .put("streamSid", sid);
                                    media
                                        .putObject("media")
                                        .put(
                                            "payload",
                                            m.path("media").path("payload").asString(""));
                                    ObjectNode mark =
                                        JSON.createObjectNode()
                                            .put("event", "mark")
                                            .put("streamSid", sid);
                                    mark.putObject("mark").put("name", "a" + (++marks[0]));
                                    return List.of(media.toString(), mark.toString());
                                  }));
                    }))
        .bindNow();
  }

  /** A 440 Hz tone at a quarter of full scale. */
  static byte[] tone(int rate, int millis) {
    int samples = rate / 1000 * millis;
    byte[] pcm = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      int v = (int) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
      pcm[2 * i] = (byte) v;
      pcm[2 * i + 1] = (byte) (v >> 8);
    }
    return pcm;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "(no /proc/loadavg)";
    }
  }
}
