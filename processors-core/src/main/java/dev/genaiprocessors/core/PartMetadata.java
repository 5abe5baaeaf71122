package dev.genaiprocessors.core;

/**
 * Well-known metadata keys. The names are those of the original library, so parts serialised by
 * either read the same.
 */
public final class PartMetadata {
  /** {@code true} on a part that ends a turn (see {@link Part#endOfTurn()}). */
  public static final String TURN_COMPLETE = "turn_complete";

  /** When the part was captured, in epoch milliseconds of the clock that captured it; ignored by equality. */
  public static final String CAPTURE_TIME = "capture_time";

  /** {@code true} on a part that says the model's output was interrupted. */
  public static final String INTERRUPTED = "interrupted";

  /** {@code true} on a part that says the model has finished generating (playback may still go on). */
  public static final String GENERATION_COMPLETE = "generation_complete";

  /** {@code true} on a final (not interim) transcription. */
  public static final String IS_FINAL = "is_final";

  /** {@code true} on a part that ends the realtime audio stream. */
  public static final String AUDIO_STREAM_END = "audio_stream_end";

  /**
   * On an audio part: the text it voices, set by text-to-speech steps, so that what a user heard can be
   * told from the audio that was played.
   */
  public static final String SPOKEN_TEXT = "spoken_text";

  /** The message of an exception turned into a part. */
  public static final String ORIGINAL_EXCEPTION = "original_exception";

  /** The simple class name of an exception turned into a part. */
  public static final String EXCEPTION_TYPE = "exception_type";

  private PartMetadata() {}
}
