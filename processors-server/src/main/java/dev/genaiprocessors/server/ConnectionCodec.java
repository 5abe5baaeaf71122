package dev.genaiprocessors.server;

import dev.genaiprocessors.core.Part;
import java.util.List;

/**
 * The wire format of one connection: turns the client's WebSocket frames into parts for the pipeline,
 * and the pipeline's parts into frames for the client. One codec object serves one connection (it may
 * keep state, such as the sample rate agreed at the start or a stream id), made by a {@link Factory} for
 * each connection. The {@code VoiceServer} does everything else: admission, buffering, pacing, idle
 * timeout, drain and close codes.
 *
 * <p>{@link BrowserCodec} (JSON control messages in text frames, raw PCM in binary frames) is the
 * default; a phone transport such as Twilio Media Streams is another codec on another path.
 *
 * <p><b>Order and threads.</b> {@link #greeting()} is called first, once. {@link #decode} is called
 * one frame at a time, in the order frames arrived, on the connection's event loop: it must not block.
 * {@link #encode} is called one part at a time, in the pipeline's output order, on whatever thread the
 * output arrives on. {@code decode} and {@code encode} may run at the same time as each other, so
 * state that both read (a stream id learned from the client's first message, say) must be safe to
 * share (a {@code volatile} field is enough for a value written once).
 *
 * <p><b>Interruption.</b> When the pipeline emits {@link Part#isInterrupted() interrupted}, the server
 * first drops the audio it has queued and not sent yet (its outbound pacing), then gives the
 * {@code interrupted} part to {@link #encode}, whose frames go out at once: the codec answers with the
 * message that tells its client to flush what it has buffered (the browser's {@code interrupted}
 * message, Twilio's {@code clear}).
 *
 * <p><b>Errors.</b> A frame the codec cannot accept throws {@link BadFrameException}: the server sends
 * {@link #encodeError} frames and closes with the exception's close code. Any other exception from the
 * codec closes the connection with {@link CloseCodes#INTERNAL_ERROR}. The server never falls over
 * because of a codec.
 */
public interface ConnectionCodec {

  /** Makes the codec of each connection. */
  @FunctionalInterface
  interface Factory {
    /**
     * A codec for a new connection, after it was admitted (authenticated, origin allowed, under the
     * connection limit). Called on the event loop: must not block.
     *
     * @param connection the connection
     * @return its codec
     */
    ConnectionCodec create(ConnectionInfo connection);
  }

  /**
   * Frames sent when the connection opens, before anything else.
   *
   * @return frames to send first; none by default
   */
  default List<WireFrame> greeting() {
    return List.of();
  }

  /**
   * What one frame from the client means.
   *
   * @param frame the frame, whole (fragments joined)
   * @return parts for the pipeline, replies for the client, and whether the client ended its input
   * @throws BadFrameException when the frame is not valid here: the connection is closed with its code
   */
  Decoded decode(WireFrame frame);

  /**
   * The frames for one part of the pipeline's output. Parts a client has no use for map to no frames.
   *
   * @param part a part of the pipeline's output (audio, transcripts, text, control and status parts)
   * @return frames for the client, in order (may be empty)
   */
  List<WireFrame> encode(Part part);

  /**
   * The frames that tell the client about an error before the connection is closed with
   * {@code closeCode} (the close reason carries the message too, cut to the 123 bytes a close frame
   * allows).
   *
   * @param closeCode the close code that follows, one of {@link CloseCodes}
   * @param message what went wrong, safe to show (no secrets)
   * @return frames to send before the close; none by default
   */
  default List<WireFrame> encodeError(int closeCode, String message) {
    return List.of();
  }
}
