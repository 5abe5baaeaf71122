package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.core.Part;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Measures the {@link AudioRateLimiter} on the real clock: how far each released chunk is from its
 * ideal release time (jitter), how that error moves over the run (drift), and how soon an interruption
 * comes out after it goes in. Not a JMH benchmark, since what it measures is time itself; run it on an
 * otherwise idle machine:
 *
 * <pre>{@code
 * java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.RateLimiterDrift 10
 * }</pre>
 *
 * <p>The argument is the minutes of audio (default 10). The audio is fed as one-second parts of 24 kHz
 * PCM, as a model would send it, all at once; the limiter splits them into 50 ms chunks and releases each
 * 50 ms ahead of its play time. Then 200 interruptions are sent, each behind a second of queued audio.
 */
public final class RateLimiterDrift {

  private RateLimiterDrift() {}

  public static void main(String[] args) {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    if (minutes < 1) {
      throw new IllegalArgumentException(
          "give the minutes of audio to pace, at least 1 (default 10)");
    }
    int rate = 24_000;
    int seconds = minutes * 60;
    int chunks = seconds * 20;
    long[] releasedAt = new long[chunks];
    AtomicLong index = new AtomicLong();
    Flux<Part> audio = Flux.range(0, seconds).map(i -> Part.audio(new byte[rate * 2], rate));

    long start = System.nanoTime();
    audio
        .transform(AudioRateLimiter.builder().build())
        .doOnNext(p -> releasedAt[(int) index.getAndIncrement()] = System.nanoTime())
        .blockLast();

    // Chunk k (k >= 1) is due at (k - 1) * 50 ms after the first: the first two go at once.
    long first = releasedAt[0];
    double[] errorsMs = new double[chunks - 2];
    for (int k = 2; k < chunks; k++) {
      long ideal = first + (k - 1) * 50_000_000L;
      errorsMs[k - 2] = (releasedAt[k] - ideal) / 1e6;
    }
    // A release later than its 50 ms lead means the machine did not run the timer in time and
    // playback
    // would have run dry: the limiter then restarts its playback clock from that release, so every
    // later
    // ideal time moves by the lateness beyond the lead. Jitter is measured against the schedule as
    // re-anchored (the late release itself counts as late); re-anchoring is reported apart from
    // drift,
    // which is what accumulates on its own.
    double leadMs = 50;
    int reanchors = 0;
    int lateOver10 = 0;
    double shift = 0;
    double[] jitterMs = new double[errorsMs.length];
    for (int k = 0; k < errorsMs.length; k++) {
      jitterMs[k] = errorsMs[k] - shift;
      if (jitterMs[k] > 10) {
        lateOver10++;
      }
      if (jitterMs[k] > leadMs) {
        reanchors++;
        shift += jitterMs[k] - leadMs;
      }
    }
    double[] sorted = jitterMs.clone();
    Arrays.sort(sorted);
    int tail = Math.max(1, errorsMs.length / 100);
    double startError = mean(errorsMs, 0, tail);
    double endError = mean(errorsMs, errorsMs.length - tail, errorsMs.length);

    System.out.printf(
        "audio: %d min in %d chunks of 50 ms, released over %.3f s of wall time%n",
        minutes, chunks, (releasedAt[chunks - 1] - start) / 1e9);
    System.out.printf(
        "jitter, release vs ideal time (ms): p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  min %.3f%n",
        percentile(sorted, 50),
        percentile(sorted, 99),
        percentile(sorted, 99.9),
        sorted[sorted.length - 1],
        sorted[0]);
    System.out.printf(
        "late releases: %d more than 10 ms late; %d later than the lead (re-anchoring the clock by %.3f ms in all)%n",
        lateOver10, reanchors, shift);
    System.out.printf(
        "drift (mean error of the last 1%% minus the first 1%%, re-anchoring excluded): %.3f ms over %d min%n",
        endError - startError - shift, minutes);
    interruptions(rate);
  }

  private static void interruptions(int rate) {
    int runs = 200;
    double[] latencyMs = new double[runs];
    for (int r = 0; r < runs; r++) {
      Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
      AtomicLong seenAt = new AtomicLong();
      var done =
          input
              .asFlux()
              .transform(AudioRateLimiter.builder().build())
              .doOnNext(
                  p -> {
                    if (p.isInterrupted()) {
                      seenAt.set(System.nanoTime());
                    }
                  })
              .then()
              .toFuture();
      input.tryEmitNext(Part.audio(new byte[rate * 2], rate));
      long sentAt = System.nanoTime();
      input.tryEmitNext(Part.interrupted());
      input.tryEmitComplete();
      done.join();
      latencyMs[r] = (seenAt.get() - sentAt) / 1e6;
    }
    Arrays.sort(latencyMs);
    System.out.printf(
        "interruption, in to out (ms, %d runs): p50 %.3f  p99 %.3f  max %.3f%n",
        runs, percentile(latencyMs, 50), percentile(latencyMs, 99), latencyMs[runs - 1]);
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }

  private static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
