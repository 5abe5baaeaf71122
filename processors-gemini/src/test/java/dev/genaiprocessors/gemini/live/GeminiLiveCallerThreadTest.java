package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * An input part that finds the session idle is handled on the thread that gives it, before its
 * {@code onNext} returns: no task on the scheduler's worker, no hand-off.
 */
class GeminiLiveCallerThreadTest {
  final GeminiLiveEmulator server = GeminiLiveEmulator.builder().build().start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aPassThroughPartComesOutOnTheCallersThreadBeforeItsOnNextReturns() throws Exception {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    Map<String, String> threads = new ConcurrentHashMap<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch resumable = new CountDownLatch(1);
    Disposable session =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model(GeminiLiveProcessorTest.MODEL)
            .build()
            .apply(input.asFlux())
            .subscribe(
                p -> {
                  if (LiveParts.sessionEventOf(p).isPresent()) {
                    started.countDown();
                  } else if (GeminiLiveParts.isResumptionUpdate(p)) {
                    resumable.countDown();
                  } else if (p.isStatus()) {
                    threads.put(p.text(), Thread.currentThread().getName());
                  }
                });
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).as("setupComplete").isTrue();
      assertThat(resumable.await(10, TimeUnit.SECONDS)).as("the first resumption update").isTrue();
      String caller = Thread.currentThread().getName();
      // The socket's thread may still be finishing the last frame's task; then the part runs after
      // it, on that thread. Each try waits until that thread has let its part out (so it is done
      // with the session's tasks, unless a frame came meanwhile): within a bounded number of tries
      // the session is idle. Tries in a tight loop would keep the other thread draining them all.
      boolean onCaller = false;
      for (int i = 0; i < 1_000 && !onCaller; i++) {
        String key = "s" + i;
        input.tryEmitNext(Part.status(key));
        onCaller = caller.equals(threads.get(key));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!onCaller && !threads.containsKey(key) && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
      assertThat(onCaller)
          .as("a status part emitted on the caller's thread within onNext")
          .isTrue();
    } finally {
      session.dispose();
    }
  }
}
