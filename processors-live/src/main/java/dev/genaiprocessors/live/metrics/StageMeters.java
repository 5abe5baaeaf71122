package dev.genaiprocessors.live.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one stage of one conversation, registered when the stage is first observed, named by
 * the constants of {@link RealTimeMetrics} and tagged {@code conversation} and {@code stage}. The only
 * class of this package that holds Micrometer types, so that with no registry none is loaded.
 * Thread-safe: Micrometer's meters are; the times of the stage's span are guarded by this object.
 */
final class StageMeters {
  private static final double P95 = 0.95;

  final String stage;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  /** Parts by direction (0 in, 1 out) and kind. */
  private final Counter[][] parts = new Counter[2][PartKind.all().length];

  private final Counter audioSecondsIn;
  private final Counter audioSecondsOut;
  final Timer firstToken;
  final Timer firstAudio;
  final Timer speechToAnswer;
  final Timer interruptionLatency;
  final Timer processing;
  final Timer audioGaps;
  final Counter answers;
  final Counter interruptions;
  final Counter underruns;
  final Counter errors;
  final Counter droppedMedia;

  /** Scheduler nanos of the first subscription and of the latest end; -1 while unknown. */
  private long startNanos = -1;

  private long endNanos = -1;
  private int running;

  StageMeters(MeterRegistry registry, String conversation, String stage) {
    this.stage = stage;
    this.registry = registry;
    Tags tags = Tags.of("conversation", conversation, "stage", stage);
    for (int d = 0; d < 2; d++) {
      for (PartKind kind : PartKind.all()) {
        parts[d][kind.ordinal()] =
            counter(
                Counter.builder(RealTimeMetrics.PARTS)
                    .tags(tags)
                    .tag("direction", d == 0 ? "in" : "out")
                    .tag("kind", kind.tag)
                    .description("Parts sent into (in) and received from (out) the stage"));
      }
    }
    audioSecondsIn =
        counter(
            Counter.builder(RealTimeMetrics.AUDIO)
                .tags(tags)
                .tag("direction", "in")
                .baseUnit("seconds")
                .description("Seconds of audio sent into (in) and received from (out) the stage"));
    audioSecondsOut =
        counter(
            Counter.builder(RealTimeMetrics.AUDIO)
                .tags(tags)
                .tag("direction", "out")
                .baseUnit("seconds")
                .description("Seconds of audio sent into (in) and received from (out) the stage"));
    firstToken =
        timer(
            RealTimeMetrics.TIME_TO_FIRST_TOKEN,
            tags,
            "From the end of the user's turn to the answer's first content");
    firstAudio =
        timer(
            RealTimeMetrics.TIME_TO_FIRST_AUDIO,
            tags,
            "From the end of the user's turn to the answer's first audio");
    speechToAnswer =
        timer(
            RealTimeMetrics.SPEECH_TO_ANSWER,
            tags,
            "From the user's end of speech to the answer's first audio");
    interruptionLatency =
        timer(
            RealTimeMetrics.INTERRUPTION_LATENCY,
            tags,
            "From the user's start of speech over an answer to the last audio of that answer");
    processing =
        timer(
            RealTimeMetrics.PROCESSING,
            tags,
            "From the end of the user's turn to the end of the answer");
    audioGaps =
        timer(
            RealTimeMetrics.AUDIO_GAPS,
            tags,
            "Silences inside an answer: audio ran dry before the next part");
    answers =
        counter(Counter.builder(RealTimeMetrics.ANSWERS).tags(tags).description("Answers started"));
    interruptions =
        counter(
            Counter.builder(RealTimeMetrics.INTERRUPTIONS)
                .tags(tags)
                .description("Answers cut short"));
    underruns =
        counter(
            Counter.builder(RealTimeMetrics.UNDERRUNS)
                .tags(tags)
                .description("Times an answer's audio ran dry and the playback clock restarted"));
    errors =
        counter(
            Counter.builder(RealTimeMetrics.ERRORS)
                .tags(tags)
                .description("Errors: failed outputs and exception parts"));
    droppedMedia =
        counter(
            Counter.builder(RealTimeMetrics.DROPPED_MEDIA)
                .tags(tags)
                .description("Realtime media messages the provider's send queue dropped"));
  }

  void part(boolean out, PartKind kind) {
    parts[out ? 1 : 0][kind.ordinal()].increment();
  }

  void audio(boolean out, long nanos) {
    (out ? audioSecondsOut : audioSecondsIn).increment(nanos / 1e9);
  }

  void droppedMedia(long count) {
    droppedMedia.increment(count);
  }

  static void record(Timer timer, long nanos) {
    timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  synchronized void started(long now) {
    if (startNanos < 0) {
      startNanos = now;
    }
    running++;
  }

  synchronized void ended(long now) {
    running--;
    endNanos = now;
  }

  /** What the meters hold now, as the report's stage. */
  RealTimeReport.Stage snapshot(long now) {
    Duration span;
    synchronized (this) {
      long end = running > 0 || endNanos < 0 ? now : endNanos;
      span = startNanos < 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, end - startNanos));
    }
    double minutesOfAudio = audioSecondsOut.count() / 60;
    double seconds = span.toNanos() / 1e9;
    long sent = total(0);
    long received = total(1);
    long answered = (long) answers.count();
    long failed = (long) errors.count();
    long cut = (long) underruns.count();
    RealTimeReport.Performance performance =
        new RealTimeReport.Performance(
            span,
            sent,
            received,
            seconds > 0 ? (sent + received) / seconds : 0,
            audioSecondsIn.count(),
            audioSecondsOut.count(),
            answered,
            (long) parts[1][PartKind.FUNCTION_CALL.ordinal()].count(),
            latency(firstToken),
            latency(processing));
    RealTimeReport.Quality quality =
        new RealTimeReport.Quality(
            (long) interruptions.count(),
            cut,
            minutesOfAudio > 0 ? cut / minutesOfAudio : 0,
            failed,
            answered + failed > 0 ? (double) failed / (answered + failed) : 0,
            (long) droppedMedia.count(),
            latency(audioGaps));
    RealTimeReport.RealTime realTime =
        new RealTimeReport.RealTime(
            latency(firstAudio), latency(speechToAnswer), latency(interruptionLatency));
    return new RealTimeReport.Stage(stage, performance, quality, realTime);
  }

  /** Removes this stage's meters from the registry. */
  void remove() {
    for (Meter m : meters) {
      registry.remove(m);
    }
  }

  private long total(int direction) {
    long sum = 0;
    for (Counter c : parts[direction]) {
      sum += (long) c.count();
    }
    return sum;
  }

  private static RealTimeReport.Latency latency(Timer timer) {
    HistogramSnapshot s = timer.takeSnapshot();
    if (s.count() == 0) {
      return RealTimeReport.Latency.NONE;
    }
    long p95 = (long) s.max(TimeUnit.NANOSECONDS);
    for (ValueAtPercentile v : s.percentileValues()) {
      if (v.percentile() == P95) {
        p95 = (long) v.value(TimeUnit.NANOSECONDS);
      }
    }
    return new RealTimeReport.Latency(
        s.count(),
        Duration.ofNanos((long) s.mean(TimeUnit.NANOSECONDS)),
        Duration.ofNanos(p95),
        Duration.ofNanos((long) s.max(TimeUnit.NANOSECONDS)));
  }

  private Counter counter(Counter.Builder builder) {
    Counter c = builder.register(registry);
    meters.add(c);
    return c;
  }

  private Timer timer(String name, Tags tags, String description) {
    Timer t =
        Timer.builder(name)
            .tags(tags)
            .description(description)
            // Client-side p50 and p95, with two significant digits, for the report.
            .publishPercentiles(0.5, P95)
            .percentilePrecision(2)
            .register(registry);
    meters.add(t);
    return t;
  }
}
