package dev.genaiprocessors.core;

/**
 * A bounded buffer of parts was full and its policy is to fail rather than drop or wait. The message
 * names the buffer, its bound, and how to raise it.
 */
public final class PartBufferOverflowException extends IllegalStateException {
  /** @param message which buffer, its bound, and what to do */
  public PartBufferOverflowException(String message) {
    super(message);
  }
}
