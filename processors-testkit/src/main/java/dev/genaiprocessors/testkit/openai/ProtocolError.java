package dev.genaiprocessors.testkit.openai;

import org.jspecify.annotations.Nullable;

/**
 * A client event the server refuses: becomes an {@code error} event (the connection stays open). Thrown and caught
 * on the engine thread only; never reaches users.
 */
final class ProtocolError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final String type;
  final @Nullable String code;
  final @Nullable String param;

  ProtocolError(String type, @Nullable String code, String message, @Nullable String param) {
    super(message, null, false, false);
    this.type = type;
    this.code = code;
    this.param = param;
  }

  /** {@code invalid_request_error} with this code. */
  static ProtocolError invalid(@Nullable String code, String message, @Nullable String param) {
    return new ProtocolError("invalid_request_error", code, message, param);
  }

  /** {@code Unknown parameter: 'path'.} */
  static ProtocolError unknownParameter(String path) {
    return invalid("unknown_parameter", "Unknown parameter: '" + path + "'.", path);
  }

  /** {@code Missing required parameter: 'path'.} */
  static ProtocolError missing(String path) {
    return invalid(
        "missing_required_parameter", "Missing required parameter: '" + path + "'.", path);
  }

  /** {@code Invalid value: 'value'. ...} for the parameter at this path. */
  static ProtocolError invalidValue(String path, String value, String supported) {
    return invalid("invalid_value", "Invalid value: '" + value + "'. " + supported, path);
  }
}
