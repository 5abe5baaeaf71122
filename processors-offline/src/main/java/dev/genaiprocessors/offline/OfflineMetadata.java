package dev.genaiprocessors.offline;

import dev.genaiprocessors.audio.speech.SpeechMetadata;

/**
 * Metadata keys that the offline engines put on the parts they make, so that a consumer (or a person
 * reading a trace) can tell what produced a part and how far to trust it.
 */
public final class OfflineMetadata {
  /** What made the part, in words: the same key as {@link SpeechMetadata#MODEL}. */
  public static final String MODEL = SpeechMetadata.MODEL;

  /** A quality caveat, present only when there is one to give: the same key as {@link SpeechMetadata#QUALITY}. */
  public static final String QUALITY = SpeechMetadata.QUALITY;

  /** On an offline responder's answer: the name of the intent it picked ({@code "fallback"} when none fitted). */
  public static final String INTENT = "intent";

  /** On an offline responder's answer: the cosine similarity of the best match, from -1 to 1. */
  public static final String SIMILARITY = "similarity";

  /**
   * {@code true} on a final transcription when part of the utterance's audio was not given to the
   * recognizer because the recognizer had fallen too far behind (see {@code SpeechToText}).
   */
  public static final String TRUNCATED = "truncated";

  private OfflineMetadata() {}
}
