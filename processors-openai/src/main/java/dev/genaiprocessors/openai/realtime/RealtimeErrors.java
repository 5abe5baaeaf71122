package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelException.Kind;
import dev.genaiprocessors.core.error.ModelProtocolException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The errors an OpenAI Realtime session ends with, as {@link ModelException}s of the right kind. Every text
 * the server sent passes the key's redactor first.
 *
 * <table>
 *   <caption>Server {@code error} events</caption>
 *   <tr><th>error {@code type} / {@code code}</th><th>kind</th></tr>
 *   <tr><td>code {@code invalid_api_key}, or type {@code authentication_error} / {@code permission_error}</td>
 *       <td>{@code AUTHENTICATION}</td></tr>
 *   <tr><td>type or code with {@code rate_limit}, or code {@code insufficient_quota}</td><td>{@code RATE_LIMIT}</td></tr>
 *   <tr><td>type {@code server_error}</td><td>{@code SERVER}</td></tr>
 *   <tr><td>type {@code invalid_request_error} (other codes)</td><td>{@code REQUEST}</td></tr>
 *   <tr><td>code {@code session_expired}</td><td>not an error: a session event (see the processor)</td></tr>
 *   <tr><td>code {@code response_cancel_not_active}</td><td>ignored: a cancel with nothing active is harmless</td></tr>
 *   <tr><td>any error whose {@code event_id} names an out-of-band {@code response.create} not answered yet</td>
 *       <td>not a session error: that request's answer ends with
 *       {@link dev.genaiprocessors.live.OutOfBandRequest#ERROR} (see the processor)</td></tr>
 *   <tr><td>anything else</td><td>{@code SERVER}</td></tr>
 * </table>
 */
final class RealtimeErrors {
  private RealtimeErrors() {}

  static ModelException ofErrorEvent(
      String type, @Nullable String code, String message, SecretRedactor redactor) {
    String safe = redactor.redact(message);
    Kind kind = kindOf(type, code);
    return ModelException.builder(
            kind,
            RealtimeSettings.PROVIDER,
            "OpenAI Realtime error " + describe(type, code, message, redactor) + hint(kind))
        .api(code == null ? type : code, safe)
        .build();
  }

  /**
   * An error the server described, as one line: {@code type (code): message}, the message redacted.
   *
   * @param type the error's type
   * @param code the error's code, or null
   * @param message the server's message
   * @param redactor the session key's redactor
   */
  static String describe(
      String type, @Nullable String code, String message, SecretRedactor redactor) {
    return type + (code == null ? "" : " (" + code + ")") + ": " + redactor.redact(message);
  }

  static Kind kindOf(String type, @Nullable String code) {
    String t = type.toLowerCase(Locale.ROOT);
    String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
    if (c.equals("invalid_api_key")
        || t.equals("authentication_error")
        || t.equals("permission_error")) {
      return Kind.AUTHENTICATION;
    }
    if (t.contains("rate_limit") || c.contains("rate_limit") || c.equals("insufficient_quota")) {
      return Kind.RATE_LIMIT;
    }
    if (t.equals("invalid_request_error")) {
      return Kind.REQUEST;
    }
    return Kind.SERVER;
  }

  /** A close the client did not ask for, by its code and reason. */
  static ModelException closed(int code, String reason, String why, @Nullable Throwable cause) {
    Kind kind;
    String r = reason.toLowerCase(Locale.ROOT);
    if (r.contains("invalid_api_key") || r.contains("authentication")) {
      kind = Kind.AUTHENTICATION;
    } else if (r.contains("rate_limit")) {
      kind = Kind.RATE_LIMIT;
    } else if (code == 4000 || code == 3000 || code == 1008 || code == 1003 || code == 1007) {
      kind = Kind.REQUEST;
    } else if (code == 1011 || code == 1012 || code == 1013 || code == 1014) {
      kind = Kind.SERVER;
    } else if (code == 1002) {
      kind = Kind.PROTOCOL;
    } else {
      kind = Kind.CONNECTION;
    }
    return ModelException.builder(
            kind,
            RealtimeSettings.PROVIDER,
            "OpenAI Realtime closed the session: "
                + code
                + (reason.isEmpty() ? "" : " " + reason)
                + " ("
                + why
                + ")"
                + hint(kind))
        .close(code, reason)
        .cause(cause)
        .build();
  }

  static ModelProtocolException protocol(int closeCode, String message) {
    return (ModelProtocolException)
        ModelException.builder(Kind.PROTOCOL, RealtimeSettings.PROVIDER, message)
            .close(closeCode, "")
            .build();
  }

  private static String hint(Kind kind) {
    return switch (kind) {
      case AUTHENTICATION -> "; check the API key (OPENAI_API_KEY or the builder's apiKey)";
      case RATE_LIMIT -> "; wait and try again, or raise the account's limits";
      case REQUEST -> "; the request as sent was refused: fix the setting or part named";
      default -> "";
    };
  }
}
