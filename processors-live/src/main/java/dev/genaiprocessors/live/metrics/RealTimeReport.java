package dev.genaiprocessors.live.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link RealTimeMetrics} measured in one conversation, stage by stage, in the pattern's three
 * sections (performance, quality, real-time), with a verdict and recommendations drawn from
 * {@link RealTimeThresholds}. An immutable snapshot: later parts do not change it.
 *
 * <p><b>Verdict.</b> {@link #isRealtimeCapable()} is true when at least one answer was measured and no
 * stage passes a limit. Dropped media never fail the verdict (the user's audio was late, not the
 * answer) but bring a recommendation. {@link #format()} is the report for a console.
 *
 * @param conversation the conversation's name
 * @param stages the observed stages, in the order they were first observed; empty when no registry was
 *     given (nothing was recorded)
 * @param thresholds the limits of the verdict
 */
public record RealTimeReport(
    String conversation, List<Stage> stages, RealTimeThresholds thresholds) {

  /**
   * Copies the stages.
   *
   * @param conversation the conversation's name
   * @param stages the observed stages
   * @param thresholds the limits of the verdict
   * @throws NullPointerException when an argument is null
   */
  public RealTimeReport {
    Objects.requireNonNull(conversation, "conversation");
    stages = List.copyOf(stages);
    Objects.requireNonNull(thresholds, "thresholds");
  }

  /**
   * A latency: how many samples, their mean, 95th percentile and maximum. The mean is over the whole
   * conversation; the percentile and the maximum are Micrometer's, over its recent window (two minutes
   * by default), with two significant digits.
   *
   * @param count samples
   * @param mean the mean
   * @param p95 the 95th percentile
   * @param max the longest
   */
  public record Latency(long count, Duration mean, Duration p95, Duration max) {
    /** No sample. */
    public static final Latency NONE = new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    @Override
    public String toString() {
      return count == 0
          ? "n/a"
          : "p95 " + ms(p95) + ", mean " + ms(mean) + ", max " + ms(max) + " (" + count + ")";
    }
  }

  /**
   * How much went through and how fast.
   *
   * @param duration from the stage's first subscription to its end (or to now, while it runs)
   * @param messagesSent parts sent into the stage
   * @param messagesReceived parts received from it
   * @param partsPerSecond parts in and out per second of the duration
   * @param audioSecondsSent seconds of the user's audio sent
   * @param audioSecondsReceived seconds of the assistant's audio received
   * @param answers answers started
   * @param functionCalls function calls received
   * @param timeToFirstToken from the end of the user's turn to the answer's first content
   * @param processingTime from the end of the user's turn to the end of an answer not interrupted
   */
  public record Performance(
      Duration duration,
      long messagesSent,
      long messagesReceived,
      double partsPerSecond,
      double audioSecondsSent,
      double audioSecondsReceived,
      long answers,
      long functionCalls,
      Latency timeToFirstToken,
      Latency processingTime) {}

  /**
   * What went wrong, and how smooth the audio was.
   *
   * @param interruptions answers cut short
   * @param underruns times an answer's audio ran dry before its next part
   * @param underrunsPerMinute underruns per minute of the assistant's audio
   * @param errors failed outputs and exception parts
   * @param errorRate errors over answers and errors, from 0 to 1
   * @param droppedMedia realtime media messages the provider's send queue dropped
   * @param audioGaps stream continuity: the silences inside answers, one sample per underrun
   */
  public record Quality(
      long interruptions,
      long underruns,
      double underrunsPerMinute,
      long errors,
      double errorRate,
      long droppedMedia,
      Latency audioGaps) {}

  /**
   * The latencies a listener hears.
   *
   * @param timeToFirstAudio from the end of the user's turn to the answer's first audio
   * @param speechToAnswer from the user's end of speech to the assistant's first audio
   * @param interruptionLatency from the user's start of speech over an answer to that answer's last audio
   */
  public record RealTime(
      Latency timeToFirstAudio, Latency speechToAnswer, Latency interruptionLatency) {}

  /**
   * One observed stage.
   *
   * @param name the stage's name
   * @param performance the performance section
   * @param quality the quality section
   * @param realTime the real-time section
   */
  public record Stage(String name, Performance performance, Quality quality, RealTime realTime) {}

  /**
   * The verdict.
   *
   * @return true when at least one answer was measured and no limit of {@link #thresholds()} was passed
   */
  public boolean isRealtimeCapable() {
    return stages.stream().anyMatch(s -> s.performance().answers() > 0)
        && stages.stream().allMatch(s -> violations(s).isEmpty());
  }

  /**
   * What to do, one line per limit passed (and per stage that dropped media), naming the stage, the
   * value and the limit; empty when there is nothing to say.
   *
   * @return the recommendations, in stage order
   */
  public List<String> recommendations() {
    List<String> all = new ArrayList<>();
    if (stages.isEmpty()) {
      all.add("Nothing was recorded: give RealTimeMetrics a MeterRegistry to measure.");
    } else if (stages.stream().allMatch(s -> s.performance().answers() == 0)) {
      all.add("No answer was measured: the verdict needs at least one answer.");
    }
    for (Stage s : stages) {
      for (String v : violations(s)) {
        all.add(s.name() + ": " + v);
      }
      if (s.quality().droppedMedia() > 0) {
        all.add(
            s.name()
                + ": "
                + s.quality().droppedMedia()
                + " media messages were dropped from the send queue: the connection is slower than"
                + " the microphone. Send less (a lower rate, fewer frames) or enlarge the send queue.");
      }
    }
    return List.copyOf(all);
  }

  private List<String> violations(Stage s) {
    List<String> out = new ArrayList<>();
    RealTimeThresholds t = thresholds;
    Latency ttfa = s.realTime().timeToFirstAudio();
    if (ttfa.count() > 0 && ttfa.p95().compareTo(t.timeToFirstAudioP95()) > 0) {
      out.add(
          "p95 time to first audio "
              + ms(ttfa.p95())
              + " is above "
              + ms(t.timeToFirstAudioP95())
              + ". Use a faster model or a nearer region, shorten the instructions and the history,"
              + " and stream the prompt so the model starts before the user has finished.");
    }
    Latency speech = s.realTime().speechToAnswer();
    if (speech.count() > 0 && speech.p95().compareTo(t.speechToAnswerP95()) > 0) {
      out.add(
          "p95 from end of speech to first audio "
              + ms(speech.p95())
              + " is above "
              + ms(t.speechToAnswerP95())
              + ". Shorten the voice detector's silence before the end of a turn, or end turns with"
              + " a local voice detector.");
    }
    Latency cut = s.realTime().interruptionLatency();
    if (cut.count() > 0 && cut.p95().compareTo(t.interruptionLatencyP95()) > 0) {
      out.add(
          "p95 interruption latency "
              + ms(cut.p95())
              + " is above "
              + ms(t.interruptionLatencyP95())
              + ". Flush queued audio on the interrupted part (AudioRateLimiter does), keep the"
              + " playback lead small, and detect barge-in locally.");
    }
    Quality q = s.quality();
    if (q.underrunsPerMinute() > t.underrunsPerMinute()) {
      out.add(
          String.format(
              Locale.ROOT,
              "%.1f underruns per minute of audio is above %.1f. The audio arrives slower than it"
                  + " plays: check the network and that nothing blocks the output thread, or let"
                  + " the player hold a larger lead.",
              q.underrunsPerMinute(),
              t.underrunsPerMinute()));
    }
    if (q.errorRate() > t.errorRate()) {
      out.add(
          String.format(
              Locale.ROOT,
              "error rate %.1f %% is above %.1f %%. Read the errors' types: retry connection"
                  + " errors, fix request errors.",
              q.errorRate() * 100,
              t.errorRate() * 100));
    }
    return out;
  }

  /**
   * The report for a console: the conversation, each stage's three sections, the verdict and the
   * recommendations, one item a line.
   *
   * @return the text, lines separated by {@code \n}
   */
  public String format() {
    StringBuilder b = new StringBuilder();
    b.append("Real-time report of ").append(conversation).append('\n');
    if (stages.isEmpty()) {
      b.append("  (nothing recorded: no MeterRegistry)\n");
    }
    for (Stage s : stages) {
      Performance p = s.performance();
      Quality q = s.quality();
      RealTime r = s.realTime();
      b.append("Stage ").append(s.name()).append('\n');
      b.append("  Performance\n");
      line(b, "duration", ms(p.duration()));
      line(b, "messages", p.messagesSent() + " sent, " + p.messagesReceived() + " received");
      line(b, "throughput", String.format(Locale.ROOT, "%.1f parts/s", p.partsPerSecond()));
      line(
          b,
          "audio",
          String.format(
              Locale.ROOT,
              "%.2f s sent, %.2f s received",
              p.audioSecondsSent(),
              p.audioSecondsReceived()));
      line(b, "answers", p.answers() + ", function calls " + p.functionCalls());
      line(b, "time to first token", p.timeToFirstToken().toString());
      line(b, "processing time", p.processingTime().toString());
      b.append("  Quality\n");
      line(b, "interruptions", Long.toString(q.interruptions()));
      line(
          b,
          "underruns",
          String.format(
              Locale.ROOT, "%d (%.1f/min of audio)", q.underruns(), q.underrunsPerMinute()));
      line(b, "audio gaps", q.audioGaps().toString());
      line(
          b, "errors", String.format(Locale.ROOT, "%d (%.1f %%)", q.errors(), q.errorRate() * 100));
      line(b, "dropped media", Long.toString(q.droppedMedia()));
      b.append("  Real-time\n");
      line(b, "time to first audio", r.timeToFirstAudio().toString());
      line(b, "speech to answer", r.speechToAnswer().toString());
      line(b, "interruption latency", r.interruptionLatency().toString());
    }
    b.append("Real-time capable: ").append(isRealtimeCapable() ? "yes" : "no").append('\n');
    List<String> recommendations = recommendations();
    if (!recommendations.isEmpty()) {
      b.append("Recommendations\n");
      for (String r : recommendations) {
        b.append("  - ").append(r).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * The same as {@link #format()}.
   *
   * @return the report for a console
   */
  @Override
  public String toString() {
    return format();
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append("    ").append(name).append(": ").append(value).append('\n');
  }

  private static String ms(Duration d) {
    return d.toMillis() + " ms";
  }
}
