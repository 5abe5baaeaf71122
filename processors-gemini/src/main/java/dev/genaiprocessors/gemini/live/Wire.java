package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.client.internal.WireJson;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Proto3-JSON details of the Gemini Live wire shared by the encoders and decoders: lenient field lookup
 * (lowerCamelCase or snake_case), lenient base64, {@code google.protobuf.Duration} strings, and the
 * URI without its query for messages (the key itself is masked by the settings' redactor).
 */
final class Wire {
  /** The wire formats' one mapper ({@link WireJson#MAPPER}), by a short name. */
  static final JsonMapper JSON = WireJson.MAPPER;

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern DURATION = Pattern.compile("(-)?(\\d+)(?:\\.(\\d{1,9}))?s");

  private Wire() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** The field by its lowerCamelCase name, or by its snake_case name; null when absent or JSON null. */
  static @Nullable JsonNode field(JsonNode object, String camelName) {
    JsonNode value = object.get(camelName);
    if (value == null || value.isNull()) {
      value = object.get(snake(camelName));
    }
    return value == null || value.isNull() ? null : value;
  }

  /**
   * The field as an object; null when absent or JSON null.
   *
   * @throws IllegalArgumentException when it is there but not an object
   */
  static @Nullable JsonNode object(JsonNode object, String camelName) {
    JsonNode value = field(object, camelName);
    if (value != null && !value.isObject()) {
      throw new IllegalArgumentException(
          camelName + " is a " + value.getNodeType() + ", not an object");
    }
    return value;
  }

  /**
   * The field as an array; an empty one when absent or JSON null.
   *
   * @throws IllegalArgumentException when it is there but not an array
   */
  static JsonNode array(JsonNode object, String camelName) {
    JsonNode value = field(object, camelName);
    if (value == null) {
      return NODES.arrayNode();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException(
          camelName + " is a " + value.getNodeType() + ", not an array");
    }
    return value;
  }

  /**
   * The node itself, checked to be an object.
   *
   * @throws IllegalArgumentException when it is not
   */
  static JsonNode requireObject(JsonNode node, String what) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + " is a " + node.getNodeType() + ", not an object");
    }
    return node;
  }

  static @Nullable String string(JsonNode object, String camelName) {
    JsonNode value = field(object, camelName);
    return value != null && value.isString() ? value.stringValue() : null;
  }

  /**
   * A proto3 integer count: absent or not a number means 0; int64 counts may come as JSON strings.
   */
  static long longOr(JsonNode object, String camelName) {
    JsonNode value = field(object, camelName);
    if (value == null) {
      return 0;
    }
    if (value.isIntegralNumber()) {
      return value.longValue();
    }
    if (value.isString()) {
      try {
        return Long.parseLong(value.stringValue());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** Proto3 booleans: absent means false; {@code "true"} as a string is tolerated. */
  static boolean flag(JsonNode object, String camelName) {
    JsonNode value = field(object, camelName);
    if (value == null) {
      return false;
    }
    return value.isBoolean()
        ? value.booleanValue()
        : value.isString() && "true".equals(value.stringValue());
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Decodes standard or URL-safe base64, padded or not.
   *
   * @throws IllegalArgumentException when it is neither
   */
  static byte[] base64(String data) {
    try {
      return Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException notStandard) {
      return Base64.getUrlDecoder().decode(data);
    }
  }

  static String base64(byte[] data) {
    return Base64.getEncoder().encodeToString(data);
  }

  /** Seconds a {@code google.protobuf.Duration} may have: {@value} (10,000 years, as the proto says). */
  private static final long MAX_DURATION_SECONDS = 315_576_000_000L;

  /** Parses {@code "50s"} or {@code "1.250s"}; null when malformed or beyond the proto's 10,000 years. */
  static @Nullable Duration duration(@Nullable String text) {
    if (text == null || text.length() > 40) {
      return null;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches() || m.group(2).length() > 12) {
      return null;
    }
    long seconds = Long.parseLong(m.group(2));
    if (seconds > MAX_DURATION_SECONDS) {
      return null;
    }
    long nanos = m.group(3) == null ? 0 : Long.parseLong((m.group(3) + "00000000").substring(0, 9));
    Duration d = Duration.ofSeconds(seconds, nanos);
    return m.group(1) == null ? d : d.negated();
  }

  /** Formats as proto3 JSON does: {@code "50s"}, {@code "1.250s"}. */
  static String duration(Duration d) {
    long seconds = d.getSeconds();
    int nanos = d.getNano();
    if (nanos == 0) {
      return seconds + "s";
    }
    String fraction =
        nanos % 1_000_000 == 0
            ? String.format("%03d", nanos / 1_000_000)
            : String.format("%09d", nanos);
    return seconds + "." + fraction + "s";
  }

  /** The URI without its query (where a {@code key=} could hide) and user info. */
  static String safe(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
