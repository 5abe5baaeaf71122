package dev.genaiprocessors.core.error;

/**
 * The server's answer broke the protocol: a body or frame that is not the JSON expected, a message out of
 * order, a field of the wrong shape, a frame or message over the configured limit. Not retried, since the
 * same server would do it again; the message names what was wrong and quotes at most a short prefix.
 *
 * <p>Made through {@link ModelException#builder} with {@link ModelException.Kind#PROTOCOL}; see
 * {@link ModelException} for the details every model error carries.
 */
public final class ModelProtocolException extends ModelException {
  ModelProtocolException(Builder b) {
    super(b);
  }
}
