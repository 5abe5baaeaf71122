package dev.genaiprocessors.core.error;

/**
 * The API key is missing, wrong, or lacks permission for the model (HTTP 401 or 403; Gemini's
 * {@code API_KEY_INVALID}; a live session closed for its key). Not retried: fix the key.
 *
 * <p>Made through {@link ModelException#builder} with {@link ModelException.Kind#AUTHENTICATION}; see
 * {@link ModelException} for the details every model error carries.
 */
public final class ModelAuthenticationException extends ModelException {
  ModelAuthenticationException(Builder b) {
    super(b);
  }
}
