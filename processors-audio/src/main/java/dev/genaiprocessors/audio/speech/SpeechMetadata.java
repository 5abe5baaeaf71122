package dev.genaiprocessors.audio.speech;

/**
 * Metadata keys that speech engines, local or cloud, put on the parts they make, so that a consumer (or a
 * person reading a trace) can tell what produced a part and how far to trust it.
 */
public final class SpeechMetadata {
  /**
   * What made the part, in words: the engine, its model and its mode, such as
   * {@code "sphinx4 en-us (JSGF grammar of 6 phrases)"} or {@code "gemini transcription (gemini-2.5-flash)"}.
   */
  public static final String MODEL = "model";

  /**
   * A quality caveat, present only when there is one to give: {@code "demo"} on transcriptions of the
   * Sphinx4 open-vocabulary mode, which is slow and often wrong; {@code "cloud"} on those of a cloud engine.
   */
  public static final String QUALITY = "quality";

  private SpeechMetadata() {}
}
