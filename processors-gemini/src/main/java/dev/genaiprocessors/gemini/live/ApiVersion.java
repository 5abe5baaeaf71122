package dev.genaiprocessors.gemini.live;

/**
 * The version segment of the Gemini Live endpoint ({@code google.ai.generativelanguage.<version>.GenerativeService}).
 * The newest official SDKs connect to {@link #V1}; {@link #V1ALPHA} is where ephemeral tokens and some
 * native-audio extras appeared first.
 */
public enum ApiVersion {
  /** {@code v1}. */
  V1,
  /** {@code v1beta}, the path of {@link GeminiLiveProcessor#DEFAULT_URI}. */
  V1BETA,
  /** {@code v1alpha}. */
  V1ALPHA;

  /**
   * The path segment: {@code v1}, {@code v1beta} or {@code v1alpha}.
   *
   * @return the lower-case name, as it appears in the endpoint's path
   */
  public String segment() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
