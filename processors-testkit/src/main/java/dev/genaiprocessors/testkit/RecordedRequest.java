package dev.genaiprocessors.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request an emulator received: method, URI, headers and body, to assert what a client sent.
 *
 * <pre>{@code
 * RecordedRequest sent = server.takeRequest(Duration.ofSeconds(5));
 * assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
 * assertThat(sent.bodyJson().at("/contents/0/parts/0/text").asString()).isEqualTo("hi");
 * }</pre>
 *
 * <p>{@link #toString()} hides the values of credential headers ({@code authorization},
 * {@code x-goog-api-key}, {@code api-key}); {@link #header(String)} returns them, for tests that check
 * the key was sent.
 *
 * @param method the HTTP method
 * @param uri the path and query, as sent
 * @param headers the headers, names in lower case, values in order
 * @param body the body as UTF-8 text
 */
public record RecordedRequest(
    String method, String uri, Map<String, List<String>> headers, String body) {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final Set<String> SECRET_HEADERS =
      Set.of("authorization", "x-goog-api-key", "api-key");

  /**
   * Copies the headers, lower-casing their names.
   *
   * @param method the HTTP method
   * @param uri the path and query, as sent
   * @param headers the headers, names in any case, values in order
   * @param body the body as UTF-8 text
   */
  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(body, "body");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach(
        (k, v) ->
            copy.merge(
                k.toLowerCase(Locale.ROOT),
                List.copyOf(v),
                (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
    headers = Map.copyOf(copy);
  }

  /**
   * The path without the query.
   *
   * @return the path, as sent (not decoded)
   */
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /**
   * The first value of a query parameter, decoded, or null.
   *
   * @param name the parameter's name, exact case
   * @return the first value, or null when the query has no such parameter
   */
  public @Nullable String queryParameter(String name) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : uri.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /**
   * The first value of a header (name in any case), or null.
   *
   * @param name the header's name, in any case
   * @return the first value, or null when the request has no such header
   */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * The body parsed as JSON.
   *
   * @return the body as a JSON tree
   * @throws IllegalStateException when the body is not JSON
   */
  public JsonNode bodyJson() {
    try {
      return MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new IllegalStateException("the request body is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Method, URI, headers (credentials hidden) and body size. */
  @Override
  public String toString() {
    Map<String, Object> shown = new LinkedHashMap<>();
    headers.forEach((k, v) -> shown.put(k, SECRET_HEADERS.contains(k) ? "[hidden]" : v));
    return "RecordedRequest["
        + method
        + " "
        + uri
        + ", headers="
        + shown
        + ", body="
        + body.length()
        + " chars]";
  }
}
