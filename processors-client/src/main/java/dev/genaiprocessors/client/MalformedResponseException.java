package dev.genaiprocessors.client;

import java.io.IOException;

/**
 * A model API answered with something that does not follow its wire format: a stream that is not
 * server-sent events, an event that is not JSON, a part or a function call that cannot be read (for
 * example function-call arguments that are not a JSON object), or an event larger than the client's
 * limit. Not retried: the same request would most likely get the same answer.
 *
 * <p>The message names what was wrong and quotes at most the first 200 characters of the offending
 * data, with any API key removed.
 */
public final class MalformedResponseException extends IOException {

  /** @param message what was wrong, free of secrets */
  public MalformedResponseException(String message) {
    super(message);
  }

  /**
   * @param message what was wrong, free of secrets
   * @param cause the parser's error
   */
  public MalformedResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
