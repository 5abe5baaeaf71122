package dev.genaiprocessors.core;

/**
 * Names of the substreams the library gives a meaning to.
 *
 * <p>The reserved ones ({@link #DEBUG}, {@link #STATUS}, {@link #UI} and any registered with
 * {@link ReservedSubstreams}) bypass later stages of a chain and reach its output at once.
 */
public final class Substreams {
  /** The default substream: content meant for the model or the user. */
  public static final String DEFAULT = "";

  /** Debug messages; reserved. */
  public static final String DEBUG = "debug";

  /** Status messages (progress, errors turned into parts); reserved. */
  public static final String STATUS = "status";

  /** Parts meant for a user interface; reserved. */
  public static final String UI = "ui";

  /** Realtime input of a live model: audio and video frames. */
  public static final String REALTIME = "realtime";

  /** Transcription of what the user said. */
  public static final String INPUT_TRANSCRIPTION = "input_transcription";

  /** Transcription of what the model said. */
  public static final String OUTPUT_TRANSCRIPTION = "output_transcription";

  /** Function calls and responses re-tagged by the function-calling loop. */
  public static final String FUNCTION_CALL = "function_call";

  private Substreams() {}
}
