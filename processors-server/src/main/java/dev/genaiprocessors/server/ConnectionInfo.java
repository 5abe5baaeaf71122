package dev.genaiprocessors.server;

import java.util.Objects;

/**
 * One admitted connection: its id (in logs and in the browser's {@code ready} message), the request that
 * opened it, and who the {@link Authenticator} said the client is.
 *
 * @param id the conversation's id, unique within the server's life
 * @param request the handshake request
 * @param principal the name the authenticator gave the client ({@code anonymous} when all are allowed)
 */
public record ConnectionInfo(String id, HandshakeRequest request, String principal) {
  /**
   * A connection.
   *
   * @param id its id
   * @param request its handshake
   * @param principal who the client is
   */
  public ConnectionInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(principal, "principal");
  }
}
