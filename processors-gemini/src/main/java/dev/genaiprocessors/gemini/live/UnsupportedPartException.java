package dev.genaiprocessors.gemini.live;

/**
 * A part the Gemini Live API cannot take in this session: a {@code video/*} part (the API takes video as
 * image frames only), or, under {@link ModelProfile#GEMINI_3_1}, a model turn or a document after the setup;
 * an {@link dev.genaiprocessors.live.OutOfBandRequest} without {@link GeminiLiveProcessor.Builder#outOfBandModel}
 * or with item references (Gemini Live has no conversation items).
 * The message says what to send instead. The session's output fails with it, after the parts received
 * before; the socket is closed with 1000.
 */
public final class UnsupportedPartException extends IllegalArgumentException {
  UnsupportedPartException(String message) {
    super(message);
  }
}
