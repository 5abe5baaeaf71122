package dev.genaiprocessors.gemini.live;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A Gemini Live session ended and cannot go on: the server closed the socket with a code that
 * resumption cannot recover from, the socket could not be opened, or reconnecting failed too often.
 *
 * <p>{@link #closeCode()} and {@link #closeReason()} are the close frame's, as the server sent them
 * (for example {@code 1007 "API key not valid. Please pass a valid API key."}, {@code 1008 "models/x is not
 * found for API version v1beta, ..."}, {@code 1011 "The service is currently unavailable."}); {@code 1006}
 * when the connection ended without a close frame or never opened. Neither the message nor
 * {@code toString} ever contains the API key.
 *
 * @see LiveProtocolException for a server that broke the protocol
 */
public final class LiveSessionException extends IOException {
  private final int closeCode;
  private final String closeReason;

  LiveSessionException(
      int closeCode, String closeReason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.closeCode = closeCode;
    this.closeReason = closeReason;
  }

  /** The WebSocket close code: the server's, or 1006 when there was no close frame. */
  public int closeCode() {
    return closeCode;
  }

  /** The close reason as the server sent it (at most 123 bytes), or a description when there was none. */
  public String closeReason() {
    return closeReason;
  }
}
