package dev.genaiprocessors.live.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a conversation must keep to be called real-time capable by {@link RealTimeReport}. A limit
 * is checked only when something was measured for it (a latency with no sample passes).
 *
 * <p>The defaults, and why:
 * <ul>
 *   <li>p95 time to first audio at most 1 s: people expect an answer to start within about a second of
 *       their turn's end; voice agents aim below 800 ms;</li>
 *   <li>p95 from the user's end of speech to the assistant's first audio at most 1.5 s: the same second,
 *       plus the half second a voice detector waits in silence before it calls the turn over;</li>
 *   <li>p95 interruption latency at most 500 ms: past that, the assistant is heard talking over the
 *       user;</li>
 *   <li>at most 1 underrun per minute of the assistant's audio: each one is an audible stutter;</li>
 *   <li>an error rate of at most 1 % (errors over answers and errors).</li>
 * </ul>
 *
 * @param timeToFirstAudioP95 the most the 95th percentile of the time to first audio may be
 * @param speechToAnswerP95 the most the 95th percentile of end of speech to first audio may be
 * @param interruptionLatencyP95 the most the 95th percentile of the interruption latency may be
 * @param underrunsPerMinute the most underruns per minute of the assistant's audio
 * @param errorRate the highest share of errors, from 0 to 1
 */
public record RealTimeThresholds(
    Duration timeToFirstAudioP95,
    Duration speechToAnswerP95,
    Duration interruptionLatencyP95,
    double underrunsPerMinute,
    double errorRate) {

  /** The defaults listed above. */
  public static final RealTimeThresholds DEFAULTS =
      new RealTimeThresholds(
          Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofMillis(500), 1.0, 0.01);

  /**
   * Checks the limits.
   *
   * @param timeToFirstAudioP95 the most the 95th percentile of the time to first audio may be
   * @param speechToAnswerP95 the most the 95th percentile of end of speech to first audio may be
   * @param interruptionLatencyP95 the most the 95th percentile of the interruption latency may be
   * @param underrunsPerMinute the most underruns per minute of the assistant's audio
   * @param errorRate the highest share of errors, from 0 to 1
   * @throws IllegalArgumentException when a duration is negative, a rate negative, or the error rate
   *     above 1
   */
  public RealTimeThresholds {
    check(timeToFirstAudioP95, "timeToFirstAudioP95");
    check(speechToAnswerP95, "speechToAnswerP95");
    check(interruptionLatencyP95, "interruptionLatencyP95");
    if (!(underrunsPerMinute >= 0)) {
      throw new IllegalArgumentException(
          "underrunsPerMinute must be 0 or more, was " + underrunsPerMinute);
    }
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException(
          "errorRate is a share from 0 to 1 (0.01 for 1 %), was " + errorRate);
    }
  }

  private static void check(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
  }
}
