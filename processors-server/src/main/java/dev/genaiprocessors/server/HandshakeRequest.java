package dev.genaiprocessors.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP request that opened a WebSocket, as the {@link Authenticator} and the codec and conversation
 * factories see it.
 *
 * @param path the request path, without the query ({@code /ws})
 * @param headers the request headers, names in lower case, values in order
 * @param query the query parameters, decoded, values in order
 * @param remoteAddress the peer's address as {@code host:port} (the proxy's, behind a proxy)
 */
public record HandshakeRequest(
    String path,
    Map<String, List<String>> headers,
    Map<String, List<String>> query,
    String remoteAddress) {

  /**
   * A request.
   *
   * @param path the path
   * @param headers the headers, names in lower case
   * @param query the query parameters
   * @param remoteAddress the peer's address
   */
  public HandshakeRequest {
    Objects.requireNonNull(path, "path");
    headers = Map.copyOf(headers);
    query = Map.copyOf(query);
    Objects.requireNonNull(remoteAddress, "remoteAddress");
  }

  /**
   * The first value of a header.
   *
   * @param name the header's name, any case
   * @return its first value, or empty
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * The first value of a query parameter.
   *
   * @param name the parameter's name, exact case
   * @return its first value, or empty
   */
  public Optional<String> queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * The {@code Origin} header: set by browsers, usually absent from other clients.
   *
   * @return the origin, or null
   */
  public @Nullable String origin() {
    return header("origin").orElse(null);
  }

  /** Never prints header values or query values: they may hold tokens. */
  @Override
  public String toString() {
    return "HandshakeRequest[" + path + " from " + remoteAddress + "]";
  }
}
