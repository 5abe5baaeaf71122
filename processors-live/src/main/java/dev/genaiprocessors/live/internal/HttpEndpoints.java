package dev.genaiprocessors.live.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/** For internal use only. Validation of the builders' endpoint settings. */
public final class HttpEndpoints {

  private HttpEndpoints() {}

  /**
   * A base URL without a trailing slash.
   *
   * @throws IllegalArgumentException when not an absolute http or https URL with a host, or when it has a
   *     query, a fragment or user information (a key must not hide in a URL)
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
   * The duration, when positive.
   *
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
