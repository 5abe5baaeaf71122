package dev.genaiprocessors.core;

/**
 * Thrown when JSON does not describe a part: it is not JSON, lacks the {@code part} object, or holds
 * a field of the wrong type. The message says which field and what was expected.
 */
public final class MalformedPartException extends IllegalArgumentException {
  MalformedPartException(String message) {
    super(message);
  }

  MalformedPartException(String message, Throwable cause) {
    super(message, cause);
  }
}
