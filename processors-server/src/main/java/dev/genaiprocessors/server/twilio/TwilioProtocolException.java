package dev.genaiprocessors.server.twilio;

/**
 * A Media Streams message that breaks the protocol: not JSON, an unknown event, a field missing or of the
 * wrong type, bad base64, a media format other than μ-law at 8 kHz mono, or an event out of order (media
 * before {@code start}, anything after {@code stop}, another stream's {@code streamSid}). The message says
 * what was wrong and what Twilio sends instead; it never holds the payload's audio.
 *
 * <p>The server closes the call's WebSocket with {@link
 * dev.genaiprocessors.server.CloseCodes#UNSUPPORTED_DATA} on it; nothing else is affected.
 */
public final class TwilioProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error with its explanation.
   *
   * @param message what was wrong and what to do
   */
  public TwilioProtocolException(String message) {
    super(message);
  }
}
