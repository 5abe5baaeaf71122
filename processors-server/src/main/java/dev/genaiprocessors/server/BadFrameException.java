package dev.genaiprocessors.server;

/**
 * A frame a {@link ConnectionCodec} cannot accept: the wrong kind, unparseable JSON, an unknown
 * message, audio before the start message, half a sample. The server sends the message to the client
 * (as the codec encodes errors, and as the close reason) and closes the connection with
 * {@link #closeCode()}. The server itself carries on.
 *
 * <p>The message says what was wrong and what to do; it must never hold a secret (it goes to the
 * client and to the log).
 */
public final class BadFrameException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The WebSocket close code the connection is closed with (see {@link CloseCodes}). */
  private final int closeCode;

  private final String message;

  /**
   * A bad frame.
   *
   * @param closeCode the close code to send, one of {@link CloseCodes} (usually
   *     {@link CloseCodes#UNSUPPORTED_DATA} or {@link CloseCodes#POLICY_VIOLATION})
   * @param message what was wrong and what to do instead
   */
  public BadFrameException(int closeCode, String message) {
    super(message);
    this.closeCode = closeCode;
    this.message = message;
  }

  /**
   * What was wrong and what to do.
   *
   * @return the message, never null
   */
  @Override
  public String getMessage() {
    return message;
  }

  /**
   * The close code the connection is closed with.
   *
   * @return a WebSocket close code
   */
  public int closeCode() {
    return closeCode;
  }
}
