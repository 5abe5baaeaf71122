package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.testkit.twilio.TwilioCallRecord;
import dev.genaiprocessors.testkit.twilio.TwilioCaller;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The check of {@code .ci/nginx-scaleout}: phone calls through nginx to two {@link EchoVoiceServer}
 * instances, with one instance drained in the middle. Not a test: the script starts the processes.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.genaiprocessors.benchmarks.ScaleOutCheck \
 *     ws://127.0.0.1:<nginx port>/twilio <pid of A> <output of A> <output of B>
 * }</pre>
 *
 * <p>It starts {@value #CALLS} calls of {@value #BEFORE_SPEECH_MS} ms of speech (a tone), which nginx
 * spreads over both instances; after {@value #DRAIN_AFTER_MS} ms it sends SIGTERM to A, which drains;
 * once A says {@code draining} it starts {@value #CALLS} more calls of {@value #AFTER_SPEECH_MS} ms. It
 * passes (exit 0) when: every call was served exactly once and heard its whole speech echoed (nothing
 * lost), none was closed with 1001 (A's conversations ended by themselves within the grace), A had
 * conversations open when it began to drain, every call made after the drain began went to B, and A
 * exited after {@code drained}. Otherwise it prints what failed and exits 1.
 */
public final class ScaleOutCheck {
  static final int CALLS = 6;
  static final int BEFORE_SPEECH_MS = 6_000;
  static final int AFTER_SPEECH_MS = 3_000;
  static final int DRAIN_AFTER_MS = 2_000;
  private static final Duration WAIT = Duration.ofSeconds(90);

  private ScaleOutCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "give: the nginx WebSocket URI, the pid of instance A, A's output file, B's output file");
    }
    URI uri = URI.create(args[0]);
    ProcessHandle a =
        ProcessHandle.of(Long.parseLong(args[1]))
            .orElseThrow(() -> new IllegalStateException("instance A is not running"));
    Path outA = Path.of(args[2]);
    Path outB = Path.of(args[3]);
    List<String> failures = new ArrayList<>();

    List<Mono<TwilioCallRecord>> before = calls("before", BEFORE_SPEECH_MS, uri);
    List<Mono<TwilioCallRecord>> running = new ArrayList<>();
    for (Mono<TwilioCallRecord> call : before) {
      running.add(call.subscribeOn(Schedulers.parallel()).cache());
    }
    running.forEach(Mono::subscribe);
    Mono.delay(Duration.ofMillis(DRAIN_AFTER_MS)).block();
    System.out.println("SIGTERM to instance A (pid " + a.pid() + "): drain");
    a.destroy();
    int open = awaitDraining(outA);
    System.out.println("A is draining with " + open + " conversations open");
    if (open <= 0) {
      failures.add("A had no conversation open when it began to drain: the drain proved nothing");
    }
    List<Mono<TwilioCallRecord>> after = calls("after", AFTER_SPEECH_MS, uri);
    for (Mono<TwilioCallRecord> call : after) {
      running.add(call.subscribeOn(Schedulers.parallel()).cache());
    }
    List<TwilioCallRecord> records =
        Flux.fromIterable(running).flatMapSequential(m -> m).collectList().block(WAIT);
    boolean exited =
        a.onExit()
            .thenApply(p -> true)
            .completeOnTimeout(false, 60, java.util.concurrent.TimeUnit.SECONDS)
            .get();
    if (!exited) {
      failures.add("A did not exit within 60 s of the drain");
    }

    Map<String, String> servedBy = new HashMap<>();
    Map<String, Integer> served = new HashMap<>();
    for (Path out : List.of(outA, outB)) {
      for (String line : Files.readAllLines(out)) {
        String[] f = line.split(" ");
        if (f.length == 6 && f[0].equals("served")) {
          served.merge(f[2], 1, Integer::sum);
          servedBy.put(f[2], f[1]);
          if (Integer.parseInt(f[3]) == 1001) {
            failures.add("call " + f[2] + " on " + f[1] + " was closed by the drain (1001)");
          }
        }
      }
    }
    if (!Files.readAllLines(outA).contains("drained")) {
      failures.add("A never printed 'drained'");
    }
    for (int i = 0; i < records.size(); i++) {
      TwilioCallRecord r = records.get(i);
      boolean isBefore = i < CALLS;
      String name = (isBefore ? "before-" : "after-") + (isBefore ? i : i - CALLS);
      long speech = isBefore ? BEFORE_SPEECH_MS : AFTER_SPEECH_MS;
      System.out.printf(
          "%s: instance %s, sent %d ms, echoed %d ms, close %d, errors %s%n",
          name,
          servedBy.get(name),
          r.sentAudioMillis(),
          r.receivedMillis(),
          r.closeCode(),
          r.protocolErrors());
      if (served.getOrDefault(name, 0) != 1) {
        failures.add(name + " was served " + served.getOrDefault(name, 0) + " times, not once");
      }
      if (r.receivedMillis() < speech) {
        failures.add(
            name
                + " heard "
                + r.receivedMillis()
                + " ms of its "
                + speech
                + " ms echoed: audio lost");
      }
      if (!r.protocolErrors().isEmpty()) {
        failures.add(name + ": " + r.protocolErrors());
      }
      if (!isBefore && !"B".equals(servedBy.get(name))) {
        failures.add(name + " began after the drain but went to " + servedBy.get(name));
      }
    }
    long onA =
        servedBy.entrySet().stream()
            .filter(e -> e.getKey().startsWith("before") && e.getValue().equals("A"))
            .count();
    System.out.println("calls before the drain on A: " + onA + " of " + CALLS);
    if (onA == 0) {
      failures.add("nginx sent no call to A before the drain");
    }
    if (failures.isEmpty()) {
      System.out.println("nginx scale-out: PASS");
      System.exit(0);
    }
    failures.forEach(f -> System.out.println("FAIL: " + f));
    System.exit(1);
  }

  private static List<Mono<TwilioCallRecord>> calls(String prefix, int speechMillis, URI uri) {
    byte[] tone = ConversationLoad.tone(16000, speechMillis);
    List<Mono<TwilioCallRecord>> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      calls.add(
          TwilioCaller.builder(uri)
              .say(tone, 16000)
              .pause(Duration.ofMillis(1000)) // the echo of the last speech comes back before stop
              .customParameter("call", prefix + "-" + i)
              .build()
              .call());
    }
    return calls;
  }

  private static int awaitDraining(Path out) throws Exception {
    for (int i = 0; i < 200; i++) { // bounded: 10 s
      for (String line : Files.readAllLines(out)) {
        if (line.startsWith("draining ")) {
          return Integer.parseInt(line.substring("draining ".length()).trim());
        }
      }
      Mono.delay(Duration.ofMillis(50)).block();
    }
    throw new IllegalStateException("A did not begin to drain within 10 s of SIGTERM");
  }
}
