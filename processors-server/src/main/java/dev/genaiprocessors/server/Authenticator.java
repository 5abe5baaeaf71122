package dev.genaiprocessors.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a WebSocket handshake may open a conversation. The server refuses everyone until it
 * is given an authenticator: {@link #allowAll()} is the explicit opt-out.
 *
 * <p>Called on the event loop for each handshake: it must not block (check a token against a value in
 * memory, or verify a signature; do not call a remote service). A refused client gets the WebSocket
 * upgraded and closed at once with {@link CloseCodes#POLICY_VIOLATION}, so that a browser can read why.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Who the client is, or empty to refuse it.
   *
   * @param request the handshake request (headers, query parameters)
   * @return the client's name (logged, and given to the factories), or empty to refuse
   */
  Optional<String> authenticate(HandshakeRequest request);

  /**
   * Lets every client in, as {@code anonymous}. For loopback demos and tests; say so where it is used.
   *
   * @return an authenticator that refuses no one
   */
  static Authenticator allowAll() {
    return request -> Optional.of("anonymous");
  }

  /**
   * Lets in clients that present a shared token, in the {@code Authorization: Bearer <token>} header
   * (phones, servers) or in the {@code token} query parameter (browsers, which cannot set headers on a
   * WebSocket). Tokens are compared in constant time and never logged.
   *
   * @param token the shared token, not blank
   * @return an authenticator that lets in holders of the token, as {@code token}
   * @throws IllegalArgumentException when the token is blank
   */
  static Authenticator bearerToken(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("the token is blank: give a long random secret");
    }
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return request -> {
      String presented =
          request
              .header("authorization")
              .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
              .map(h -> h.substring(7).trim())
              .or(() -> request.queryParameter("token"))
              .orElse("");
      return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
          ? Optional.of("token")
          : Optional.empty();
    };
  }
}
