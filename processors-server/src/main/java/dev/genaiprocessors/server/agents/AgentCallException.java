package dev.genaiprocessors.server.agents;

/**
 * An HTTP agent did not answer a task with a result: what went wrong, whether it was tried again, and what
 * to do. The message names the agent by scheme, host, port and path only (never credentials in the URI).
 */
public final class AgentCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Whether the failure is of a kind that is tried again. */
  private final boolean retryable;

  /** The HTTP status of the answer, 0 when there was none. */
  private final int statusCode;

  AgentCallException(String message, boolean retryable, int statusCode, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.statusCode = statusCode;
  }

  AgentCallException(String message, boolean retryable, int statusCode) {
    super(message);
    this.retryable = retryable;
    this.statusCode = statusCode;
  }

  /**
   * Whether the failure is of a kind that is tried again (a connection that failed or was cut, no answer in
   * time, or an HTTP status among {@code RetryPolicy.RETRYABLE_STATUS_CODES}).
   *
   * @return true for such a failure, whether or not attempts were left
   */
  public boolean retryable() {
    return retryable;
  }

  /**
   * The HTTP status of the answer.
   *
   * @return the status, or 0 when there was no answer
   */
  public int statusCode() {
    return statusCode;
  }
}
