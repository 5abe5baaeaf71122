package dev.genaiprocessors.client;

import java.io.IOException;

/**
 * A call to a model API failed in transport: the connection could not be made, was cut, stayed idle
 * past the read timeout, or the stream ended before the provider said it had finished, and retrying
 * did not help (or was not allowed, see {@link RetryPolicy}). The cause is the transport's own error.
 *
 * <p>Parts emitted before the failure stay emitted; {@link #partsEmitted()} says how many.
 */
public final class ModelConnectionException extends IOException {

  private final int attempts;
  private final int partsEmitted;

  /**
   * @param message what failed, free of secrets
   * @param attempts how many attempts were made
   * @param partsEmitted how many parts had been emitted when the client gave up
   * @param cause the transport's error
   */
  public ModelConnectionException(String message, int attempts, int partsEmitted, Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
    this.partsEmitted = partsEmitted;
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }

  /** How many parts had been emitted when the client gave up. */
  public int partsEmitted() {
    return partsEmitted;
  }
}
