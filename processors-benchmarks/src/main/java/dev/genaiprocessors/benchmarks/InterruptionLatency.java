package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartProcessor;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Interruption latency on the real clock: from the start-of-speech part going in to the moment after
 * which no more audio comes out of the {@link AudioRateLimiter} (the {@code interrupted} part it
 * emits once it has dropped what was queued). Not a JMH benchmark, since what it measures is time
 * itself; run it on an otherwise idle machine:
 *
 * <pre>{@code
 * java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.InterruptionLatency 5000
 * }</pre>
 *
 * <p>One pipeline stays subscribed for the whole run, as in a conversation: a part processor stage
 * that turns start of speech into {@code interrupted} (what a live model does when the user talks over
 * it), then the rate limiter on {@code Schedulers.parallel()}. Each run sends a second of 24 kHz audio,
 * waits 0 to 3 ms (so that a paced release is sometimes under way on the limiter's timer thread),
 * sends start of speech, and times it until the {@code interrupted} part comes out. A run that sees
 * audio after it counts as a failure. The floor, measured in the same run, is the same input sink with
 * the same stage and no limiter. The argument is the number of measured runs (default 5,000), after
 * 2,000 runs of warm-up.
 */
public final class InterruptionLatency {

  private InterruptionLatency() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    if (runs < 100) {
      throw new IllegalArgumentException("give the number of measured runs, at least 100");
    }
    int warmUp = 2_000;
    double[] floor = measure(false, warmUp, runs);
    double[] limiter = measure(true, warmUp, runs);
    System.out.printf(
        "floor (sink and stage, no limiter), ms over %d runs: p50 %.4f  p99 %.4f  p99.9 %.4f  max %.4f%n",
        runs, pct(floor, 50), pct(floor, 99), pct(floor, 99.9), floor[runs - 1]);
    System.out.printf(
        "start of speech to the limiter's last part out, ms over %d runs: p50 %.4f  p99 %.4f  p99.9 %.4f  max %.4f%n",
        runs, pct(limiter, 50), pct(limiter, 99), pct(limiter, 99.9), limiter[runs - 1]);
  }

  private static double[] measure(boolean withLimiter, int warmUp, int runs) {
    int rate = 24_000;
    PartProcessor interrupts =
        part -> Flux.just(part.isStartOfSpeech() ? Part.interrupted() : part);
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    AtomicLong interruptedAt = new AtomicLong();
    AtomicLong audioAfter = new AtomicLong();
    Flux<Part> pipeline = input.asFlux().transform(interrupts.toProcessor());
    if (withLimiter) {
      pipeline = pipeline.transform(AudioRateLimiter.builder().build());
    }
    Disposable running =
        pipeline.subscribe(
            p -> {
              if (p.isInterrupted()) {
                interruptedAt.set(System.nanoTime());
              } else if (p.isAudio() && interruptedAt.get() != 0) {
                audioAfter.incrementAndGet();
              }
            });
    double[] latencyMs = new double[runs];
    byte[] second = new byte[rate * 2];
    for (int r = -warmUp; r < runs; r++) {
      interruptedAt.set(0);
      input.tryEmitNext(Part.audio(second, rate));
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(3_000_000));
      long sentAt = System.nanoTime();
      input.tryEmitNext(Part.startOfSpeech());
      long seen;
      while ((seen = interruptedAt.get()) == 0) {
        Thread.onSpinWait();
      }
      if (r >= 0) {
        latencyMs[r] = (seen - sentAt) / 1e6;
      }
    }
    running.dispose();
    if (audioAfter.get() != 0) {
      throw new IllegalStateException(
          audioAfter.get() + " audio parts came out after an interruption");
    }
    Arrays.sort(latencyMs);
    return latencyMs;
  }

  private static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
