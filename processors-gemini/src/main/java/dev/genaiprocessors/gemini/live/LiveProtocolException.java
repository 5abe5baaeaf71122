package dev.genaiprocessors.gemini.live;

import java.io.IOException;

/**
 * The server broke the Gemini Live protocol: a frame that is not a JSON object, a message before
 * {@code setupComplete}, a field of the wrong shape, a message with more parts than the client takes, or a
 * frame larger than {@code maxFrameBytes}. The client closes the socket with {@link #closeCode()}
 * ({@code 1007} for malformed data, {@code 1002} for a message out of order, {@code 1009} for a frame or
 * message too big) and ends the session; resumption is not tried, since the same server would do it again.
 *
 * <p>The message names what was wrong and quotes at most the first 200 characters of the frame; it
 * never contains the API key.
 *
 * @see LiveSessionException for a session the server ended
 */
public final class LiveProtocolException extends IOException {
  private final int closeCode;

  LiveProtocolException(int closeCode, String message) {
    super(message);
    this.closeCode = closeCode;
  }

  /** The close code the client sent: 1007 (malformed data), 1002 (protocol error) or 1009 (too big). */
  public int closeCode() {
    return closeCode;
  }
}
