package dev.genaiprocessors.gemini.live;

/**
 * Tools the model runs on the server side, declared next to function declarations in {@code setup.tools}:
 * each is one entry with an empty configuration ({@code {"googleSearch": {}}}). What they find or run comes
 * back as {@code executableCode}, {@code codeExecutionResult}, {@code groundingMetadata} and
 * {@code urlContextMetadata} (see {@link GeminiLiveParts}).
 */
public enum BuiltInTool {
  /** {@code googleSearch}: grounding with Google Search. */
  GOOGLE_SEARCH("googleSearch"),
  /** {@code codeExecution}: the model writes and runs Python code. */
  CODE_EXECUTION("codeExecution"),
  /** {@code urlContext}: the model reads URLs given in the conversation. */
  URL_CONTEXT("urlContext");

  private final String wire;

  BuiltInTool(String wire) {
    this.wire = wire;
  }

  /**
   * The field name in {@code setup.tools[]}.
   *
   * @return the field name, such as {@code googleSearch}
   */
  public String wireName() {
    return wire;
  }
}
