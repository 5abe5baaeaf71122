package dev.genaiprocessors.client.internal;

import io.netty.channel.ChannelOption;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.SslProvider;

/** For internal use only. Validation of the builders' endpoint settings. */
public final class HttpEndpoints {

  private HttpEndpoints() {}

  /**
   * A base URL without a trailing slash.
   *
   * @param baseUrl the URL as the user gave it; surrounding white space is ignored
   * @return the URL, stripped, without a trailing slash
   * @throws IllegalArgumentException when not an absolute http or https URL with a host, when its port is
   *     outside 10 to 65535 (the HTTP client does not read one-digit ports), or when it has a query, a
   *     fragment or user information (a key must not hide in a URL)
   */
  public static String baseUrl(String baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    URI uri;
    try {
      uri = new URI(baseUrl.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("baseUrl is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("baseUrl must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must name a host");
    }
    int port = uri.getPort();
    if (port == 0 || port > 65535 || (port > 0 && port < 10)) {
      // Reactor Netty reads a URL's port only when it has 2 to 5 digits: with one digit the port
      // stays part of the host name, and the call fails with "Failed to resolve '127.0.0.1:9'".
      throw new IllegalArgumentException(
          "baseUrl port "
              + port
              + " is not supported: use a port from 10 to 65535"
              + " (Reactor Netty, the HTTP client, does not read one-digit ports)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "baseUrl must not hold a query, a fragment or user information; give keys to the builder");
    }
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /**
   * The client a model uses: the one given, as it is, or a new one whose connection attempt (TCP connect)
   * and, for an {@code https} base URL, TLS handshake each give up after {@code connectTimeout}.
   *
   * @param given the builder's client, or null for the default
   * @param baseUrl the base URL, as {@link #baseUrl(String)} returned it
   * @param connectTimeout the longest a TCP connect or a TLS handshake may take
   * @return the client
   */
  public static HttpClient client(
      @Nullable HttpClient given, String baseUrl, Duration connectTimeout) {
    if (given != null) {
      return given;
    }
    HttpClient client =
        HttpClient.create()
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    return baseUrl.regionMatches(true, 0, "https:", 0, 6)
        ? client.secure(
            spec ->
                spec.sslContext(
                        (SslProvider.GenericSslContextSpec<?>) Http11SslContextSpec.forClient())
                    .handshakeTimeout(connectTimeout))
        : client;
  }

  /**
   * The duration, when positive.
   *
   * @param d the duration to check
   * @param name the setting's name, for the message ({@code readTimeout})
   * @return {@code d} itself
   * @throws IllegalArgumentException when zero or negative
   */
  public static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }
}
