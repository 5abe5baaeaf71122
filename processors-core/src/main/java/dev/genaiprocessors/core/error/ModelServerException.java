package dev.genaiprocessors.core.error;

/**
 * The server failed or is overloaded (HTTP 5xx; a live session closed with 1011 or 1013; an error event
 * of the server's own). Retried within the budget.
 *
 * <p>Made through {@link ModelException#builder} with {@link ModelException.Kind#SERVER}; see
 * {@link ModelException} for the details every model error carries.
 */
public final class ModelServerException extends ModelException {
  ModelServerException(Builder b) {
    super(b);
  }
}
