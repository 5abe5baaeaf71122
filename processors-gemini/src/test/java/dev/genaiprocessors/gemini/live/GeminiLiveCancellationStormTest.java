package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Many open sessions cancelled from three non-blocking threads at once, ten times in a row, under BlockHound:
 * no cancelling thread hangs, no blocking call is reported or swallowed, and a session opened afterwards
 * still answers.
 */
class GeminiLiveCancellationStormTest {
  static final int SESSIONS = Integer.getInteger("storm.sessions", 900);
  static final int THREADS = 3;
  static final int ROUNDS = 10;

  GeminiLiveEmulator server;
  Scheduler cancellers;
  final Queue<Throwable> dropped = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
    cancellers =
        Schedulers.newParallel("storm", THREADS); // non-blocking threads, as BlockHound sees them
    Hooks.onErrorDropped(dropped::add);
  }

  @AfterEach
  void stop() {
    Hooks.resetOnErrorDropped();
    cancellers.dispose();
    server.close();
  }

  @Test
  void cancellingHundredsOfSessionsFromThreeThreadsTakesNoLockAndLosesNoError() throws Exception {
    GeminiLiveProcessor live =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model("gemini-live-2.5-flash-preview")
            .build();
    try (LogCapture logs = new LogCapture("ROOT", Level.WARN)) {
      for (int round = 0; round < ROUNDS; round++) {
        CountDownLatch ready = new CountDownLatch(SESSIONS);
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Disposable> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
          sessions.add(
              live.apply(Flux.never())
                  .subscribe(
                      p -> {
                        if (GeminiLiveParts.isSessionId(p)) {
                          ready.countDown();
                        }
                      },
                      errors::add));
        }
        assertThat(ready.await(20, TimeUnit.SECONDS))
            .as("round %d: all sessions set up", round)
            .isTrue();

        java.util.concurrent.atomic.AtomicBoolean go =
            new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch cancelled = new CountDownLatch(THREADS);
        Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < THREADS; t++) {
          List<Disposable> mine =
              sessions.subList(t * SESSIONS / THREADS, (t + 1) * SESSIONS / THREADS);
          cancellers.schedule(
              () -> {
                try {
                  while (!go.get()) {
                    // all three start together; parking (or onSpinWait) here would itself be a
                    // blocking call
                  }
                  mine.forEach(Disposable::dispose);
                } catch (Throwable e) {
                  thrown.add(e);
                } finally {
                  cancelled.countDown();
                }
              });
        }
        go.set(true);
        assertThat(cancelled.await(20, TimeUnit.SECONDS))
            .as("round %d: no cancelling thread hangs", round)
            .isTrue();
        assertThat(thrown)
            .withFailMessage("round %d: thrown while cancelling:%n%s", round, stacks(thrown))
            .isEmpty();
        assertThat(errors)
            .withFailMessage("round %d: errors after cancelling:%n%s", round, stacks(errors))
            .isEmpty();

        // The schedulers are still healthy: a new session answers.
        StepVerifier.create(
                live.apply(Flux.just(Part.text("ping")))
                    .filter(p -> p.isText() && p.text().equals("ping")))
            .expectNextCount(1)
            .expectComplete()
            .verify(Duration.ofSeconds(10));
      }
      assertThat(dropped)
          .withFailMessage("errors dropped after cancellation:%n%s", stacks(dropped))
          .isEmpty();
      assertThat(logs.lines())
          .as("warnings and errors logged")
          .noneMatch(l -> l.contains("Blocking"));
    }
  }

  static String stacks(Queue<Throwable> errors) {
    StringBuilder out = new StringBuilder();
    for (Throwable e : errors) {
      java.io.StringWriter w = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(w));
      out.append(w);
      if (out.length() > 20_000) {
        break;
      }
    }
    return out.toString();
  }

  @Test
  void aSessionNeverCancelsAPendingTimerOrDisposesItsWorkerOnANonBlockingThread() throws Exception {
    RecordingScheduler scheduler = new RecordingScheduler();
    try {
      GeminiLiveProcessor live =
          GeminiLiveProcessor.builder()
              .uri(server.uri())
              .apiKey(server.apiKey())
              .model("gemini-live-2.5-flash-preview")
              .scheduler(scheduler)
              .keepAlive(Duration.ofSeconds(1))
              .build();
      reactor.core.publisher.Sinks.Many<Part> input =
          reactor.core.publisher.Sinks.many().unicast().onBackpressureBuffer();
      CountDownLatch answered = new CountDownLatch(1);
      Disposable session =
          live.apply(input.asFlux())
              .subscribe(
                  p -> {
                    if (p.isText() && p.text().equals("hi")) {
                      answered.countDown();
                    }
                  });
      input.tryEmitNext(
          Part.text("hi")); // setupComplete ends the setup timer; the answer re-arms nothing
      assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
      cancellers.schedule(session::dispose); // cancelled from a non-blocking thread
      assertThat(scheduler.workerDisposed.await(10, TimeUnit.SECONDS))
          .as("the worker is released")
          .isTrue();
      assertThat(scheduler.lockingCancels).isEmpty();
    } finally {
      scheduler.dispose();
    }
  }
}
