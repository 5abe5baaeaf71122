package dev.genaiprocessors.gemini.live;

import java.util.Objects;

/**
 * A safety setting of the session ({@code setup.safetySettings[]}): how readily content of a harm category
 * is blocked.
 *
 * @param category the harm category
 * @param threshold the blocking threshold
 */
public record SafetySetting(Category category, Threshold threshold) {

  /**
   * @param category the harm category
   * @param threshold the blocking threshold
   * @throws NullPointerException when an argument is null
   */
  public SafetySetting {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(threshold, "threshold");
  }

  /** Harm categories, sent as {@code HARM_CATEGORY_<name>}. */
  public enum Category {
    /** {@code HARM_CATEGORY_HARASSMENT}. */
    HARASSMENT,
    /** {@code HARM_CATEGORY_HATE_SPEECH}. */
    HATE_SPEECH,
    /** {@code HARM_CATEGORY_SEXUALLY_EXPLICIT}. */
    SEXUALLY_EXPLICIT,
    /** {@code HARM_CATEGORY_DANGEROUS_CONTENT}. */
    DANGEROUS_CONTENT,
    /** {@code HARM_CATEGORY_CIVIC_INTEGRITY}. */
    CIVIC_INTEGRITY
  }

  /** Thresholds, sent by name. */
  public enum Threshold {
    /** Block content with a low probability of harm and above. */
    BLOCK_LOW_AND_ABOVE,
    /** Block content with a medium probability of harm and above. */
    BLOCK_MEDIUM_AND_ABOVE,
    /** Block only content with a high probability of harm. */
    BLOCK_ONLY_HIGH,
    /** Block nothing (content is still rated). */
    BLOCK_NONE,
    /** Turn the filter off. */
    OFF
  }
}
