package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelException.Kind;
import dev.genaiprocessors.core.error.ModelProtocolException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The errors a Gemini Live session ends with, as {@link ModelException}s of the right kind. */
final class LiveErrors {
  static final String PROVIDER = "Gemini Live";

  private LiveErrors() {}

  /**
   * A session the server ended (or a socket that never opened), by its close code and reason.
   *
   * @param code the close code, 1006 when there was no close frame
   * @param reason the close reason, free of secrets
   * @param message the whole message, free of secrets
   * @param cause the transport's error, or null
   * @param attempts the connections tried
   */
  static ModelException closed(
      int code, String reason, String message, @Nullable Throwable cause, int attempts) {
    return ModelException.builder(kindOf(code, reason), PROVIDER, message)
        .close(code, reason)
        .cause(cause)
        .attempts(Math.max(1, attempts))
        .build();
  }

  static ModelException closed(int code, String reason, String message, @Nullable Throwable cause) {
    return closed(code, reason, message, cause, 1);
  }

  /**
   * A server that broke the protocol; the client closes with {@code closeCode}.
   *
   * @param closeCode 1007 (malformed data), 1002 (out of order) or 1009 (too big)
   * @param message what was wrong, free of secrets
   */
  static ModelProtocolException protocol(int closeCode, String message) {
    return (ModelProtocolException)
        ModelException.builder(Kind.PROTOCOL, PROVIDER, message).close(closeCode, "").build();
  }

  /**
   * The kind of a close: the reason's words first (the server closes a bad key with 1007 and a used-up quota
   * with 1011), then the code: 1011, 1012, 1013 and 1014 the server's failure; 1002 a protocol error; 1003,
   * 1007, 1008 and 1009 a request the server refused (a setting, a model, a message too big); anything else,
   * 1006 (no close frame) among them, the connection.
   */
  static Kind kindOf(int code, String reason) {
    String r = reason.toLowerCase(Locale.ROOT);
    if (r.contains("api key")
        || r.contains("permission")
        || r.contains("unauthenticated")
        || r.contains("credential")) {
      return Kind.AUTHENTICATION;
    }
    if (r.contains("quota") || r.contains("resource_exhausted") || r.contains("rate limit")) {
      return Kind.RATE_LIMIT;
    }
    return switch (code) {
      case 1011, 1012, 1013, 1014 -> Kind.SERVER;
      case 1002 -> Kind.PROTOCOL;
      case 1003, 1007, 1008, 1009 -> Kind.REQUEST;
      default -> Kind.CONNECTION;
    };
  }
}
