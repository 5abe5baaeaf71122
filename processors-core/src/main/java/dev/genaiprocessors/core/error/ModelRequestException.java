package dev.genaiprocessors.core.error;

/**
 * The server refused the request as given: invalid (HTTP 400, 422), an unknown model or endpoint (404), a
 * redirect (never followed, so that the key goes only to the address configured), or a setting the model
 * does not take. Not retried: fix the request.
 *
 * <p>Made through {@link ModelException#builder} with {@link ModelException.Kind#REQUEST}; see
 * {@link ModelException} for the details every model error carries.
 */
public final class ModelRequestException extends ModelException {
  ModelRequestException(Builder b) {
    super(b);
  }
}
