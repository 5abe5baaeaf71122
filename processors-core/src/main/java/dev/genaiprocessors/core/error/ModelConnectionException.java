package dev.genaiprocessors.core.error;

/**
 * A model's connection could not be opened, broke, timed out, or the peer stopped answering (a live
 * session's dead peer). The clients retry or reconnect within their budget before they report it; then
 * {@link #attempts()} says how many were made and the message why each ended.
 *
 * <p>Made through {@link ModelException#builder} with {@link ModelException.Kind#CONNECTION}; see
 * {@link ModelException} for the details every model error carries.
 */
public final class ModelConnectionException extends ModelException {
  ModelConnectionException(Builder b) {
    super(b);
  }
}
