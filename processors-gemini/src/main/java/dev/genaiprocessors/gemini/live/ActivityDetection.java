package dev.genaiprocessors.gemini.live;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the server detects the user's speech ({@code setup.realtimeInputConfig.automaticActivityDetection}).
 *
 * <pre>{@code
 * ActivityDetection.automatic().withEndSensitivity(EndSensitivity.LOW).withSilenceDuration(Duration.ofMillis(500));
 * ActivityDetection.manual();   // the client marks speech with start- and end-of-speech parts
 * }</pre>
 *
 * <p>With {@link #manual()} the processor sends {@code activityStart}/{@code activityEnd} for
 * start-/end-of-speech parts (a local VAD's); with automatic detection it drops those parts, since the
 * server rejects them. Fields left null are omitted, so the server's defaults apply (sensitivities
 * {@code HIGH}).
 *
 * @param disabled true for manual activity marking
 * @param startSensitivity how readily speech is detected to start, or null for the default
 * @param endSensitivity how readily speech is detected to end, or null for the default
 * @param prefixPadding speech needed before a start is committed, or null for the default
 * @param silenceDuration silence needed before an end is committed, or null for the default
 */
public record ActivityDetection(
    boolean disabled,
    @Nullable StartSensitivity startSensitivity,
    @Nullable EndSensitivity endSensitivity,
    @Nullable Duration prefixPadding,
    @Nullable Duration silenceDuration) {

  /**
   * @param disabled true for manual activity marking
   * @param startSensitivity how readily speech is detected to start, or null for the server's default
   * @param endSensitivity how readily speech is detected to end, or null for the server's default
   * @param prefixPadding speech needed before a start is committed, or null for the server's default
   * @param silenceDuration silence needed before an end is committed, or null for the server's default
   * @throws IllegalArgumentException when a duration is negative
   */
  public ActivityDetection {
    if (prefixPadding != null && prefixPadding.isNegative()) {
      throw new IllegalArgumentException(
          "prefixPadding must not be negative, was " + prefixPadding);
    }
    if (silenceDuration != null && silenceDuration.isNegative()) {
      throw new IllegalArgumentException(
          "silenceDuration must not be negative, was " + silenceDuration);
    }
  }

  /**
   * Detection by the server, with its defaults.
   *
   * @return automatic detection with every setting left to the server
   */
  public static ActivityDetection automatic() {
    return new ActivityDetection(false, null, null, null, null);
  }

  /**
   * No detection by the server: the client sends {@code activityStart} and {@code activityEnd}.
   *
   * @return manual detection
   */
  public static ActivityDetection manual() {
    return new ActivityDetection(true, null, null, null, null);
  }

  /**
   * Automatic detection tuned in one call by a preset of this library (the API has no presets): each sets
   * both sensitivities, the prefix padding and the silence duration.
   * <ul>
   *   <li>{@link Preset#HIGH}: quick turn-taking in a quiet room; starts and ends {@code HIGH}, padding 20 ms,
   *       silence 300 ms;
   *   <li>{@link Preset#MEDIUM}: starts {@code HIGH}, ends {@code LOW}, padding 100 ms, silence 500 ms;
   *   <li>{@link Preset#LOW}: patient, for noisy rooms and slow speakers; starts and ends {@code LOW}, padding
   *       300 ms, silence 1000 ms.
   * </ul>
   * The {@code with...} methods adjust a preset further.
   *
   * @param preset the preset to apply
   * @return automatic detection with the preset's four settings
   */
  public static ActivityDetection preset(Preset preset) {
    return switch (Objects.requireNonNull(preset, "preset")) {
      case HIGH ->
          new ActivityDetection(
              false,
              StartSensitivity.HIGH,
              EndSensitivity.HIGH,
              Duration.ofMillis(20),
              Duration.ofMillis(300));
      case MEDIUM ->
          new ActivityDetection(
              false,
              StartSensitivity.HIGH,
              EndSensitivity.LOW,
              Duration.ofMillis(100),
              Duration.ofMillis(500));
      case LOW ->
          new ActivityDetection(
              false,
              StartSensitivity.LOW,
              EndSensitivity.LOW,
              Duration.ofMillis(300),
              Duration.ofMillis(1000));
    };
  }

  /** Named sensitivities of {@link #preset(Preset)}. */
  public enum Preset {
    /** Most responsive. */
    HIGH,
    /** Between the two. */
    MEDIUM,
    /** Least responsive. */
    LOW
  }

  /**
   * This detection with a start-of-speech sensitivity.
   *
   * @param sensitivity how readily the start of speech is detected
   * @return a copy of this detection with that sensitivity; the other settings unchanged
   */
  public ActivityDetection withStartSensitivity(StartSensitivity sensitivity) {
    return new ActivityDetection(
        disabled,
        Objects.requireNonNull(sensitivity, "sensitivity"),
        endSensitivity,
        prefixPadding,
        silenceDuration);
  }

  /**
   * This detection with an end-of-speech sensitivity.
   *
   * @param sensitivity how readily the end of speech is detected
   * @return a copy of this detection with that sensitivity; the other settings unchanged
   */
  public ActivityDetection withEndSensitivity(EndSensitivity sensitivity) {
    return new ActivityDetection(
        disabled,
        startSensitivity,
        Objects.requireNonNull(sensitivity, "sensitivity"),
        prefixPadding,
        silenceDuration);
  }

  /**
   * This detection with a prefix padding (sent in whole milliseconds).
   *
   * @param padding speech needed before a start is committed; not negative
   * @return a copy of this detection with that padding; the other settings unchanged
   * @throws IllegalArgumentException when {@code padding} is negative
   */
  public ActivityDetection withPrefixPadding(Duration padding) {
    return new ActivityDetection(
        disabled,
        startSensitivity,
        endSensitivity,
        Objects.requireNonNull(padding, "padding"),
        silenceDuration);
  }

  /**
   * This detection with a silence duration (sent in whole milliseconds).
   *
   * @param silence silence needed before an end is committed; not negative
   * @return a copy of this detection with that silence duration; the other settings unchanged
   * @throws IllegalArgumentException when {@code silence} is negative
   */
  public ActivityDetection withSilenceDuration(Duration silence) {
    return new ActivityDetection(
        disabled,
        startSensitivity,
        endSensitivity,
        prefixPadding,
        Objects.requireNonNull(silence, "silence"));
  }

  /** How readily the start of speech is detected. */
  public enum StartSensitivity {
    /** Detects speech starts more often (the server's default). */
    HIGH,
    /** Detects speech starts less often. */
    LOW;

    String wire() {
      return "START_SENSITIVITY_" + name();
    }
  }

  /** How readily the end of speech is detected. */
  public enum EndSensitivity {
    /** Ends speech more often (the server's default). */
    HIGH,
    /** Ends speech less often. */
    LOW;

    String wire() {
      return "END_SENSITIVITY_" + name();
    }
  }
}
