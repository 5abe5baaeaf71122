package dev.genaiprocessors.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Normalises metadata values to immutable JSON-shaped Java values, so that a part's metadata
 * survives a JSON round trip unchanged and compares equal afterwards. JSON {@code null} is kept as
 * Java {@code null}, at the top level and inside lists and maps, as the original library keeps
 * Python's {@code None}.
 */
final class MetadataValues {
  private MetadataValues() {}

  /** An immutable, key-sorted copy of the map with every value normalised. */
  static Map<String, Object> copyOf(Map<String, ?> map) {
    if (map.isEmpty()) {
      return Map.of();
    }
    TreeMap<String, Object> copy = new TreeMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      String key = e.getKey();
      if (key == null) {
        throw new IllegalArgumentException("metadata keys must not be null");
      }
      copy.put(key, normalize(key, e.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Integral numbers become {@code Long}, other numbers {@code Double}; lists and maps are copied
   * deeply and made immutable; JSON nodes become the same plain values; null stays null.
   *
   * @throws IllegalArgumentException for a type JSON cannot hold
   */
  static @Nullable Object normalize(String key, @Nullable Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Double d) {
      FiniteJson.requireMetadata(key, d);
      return d;
    }
    if (value instanceof String || value instanceof Boolean || value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      FiniteJson.requireMetadata(key, f);
      return f.doubleValue();
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() < 64) {
        return big.longValue();
      }
      throw new IllegalArgumentException("metadata '" + key + "' does not fit in a long: " + big);
    }
    if (value instanceof BigDecimal dec) {
      FiniteJson.requireMetadata(key, dec.doubleValue());
      return dec.doubleValue();
    }
    if (value instanceof CharSequence cs) {
      return cs.toString();
    }
    if (value instanceof Enum<?> en) {
      return en.name();
    }
    if (value instanceof JsonNode node) {
      return fromJson(key, node);
    }
    if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> copy = new TreeMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException(
              "metadata '" + key + "' has a map key that is not a string: " + e.getKey());
        }
        copy.put(k, normalize(key + "." + k, e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof Iterable<?> list) {
      List<Object> copy = new ArrayList<>();
      for (Object item : list) {
        copy.add(normalize(key + "[]", item));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        "metadata '"
            + key
            + "' is a "
            + value.getClass().getName()
            + "; metadata holds JSON values only: String, Boolean, a number, a List, a Map or a JsonNode");
  }

  private static @Nullable Object fromJson(String key, JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (node.isString()) {
      return node.asString();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return normalize(key, node.bigIntegerValue());
    }
    if (node.isNumber()) {
      FiniteJson.requireMetadata(key, node.doubleValue());
      return node.doubleValue();
    }
    if (node.isArray()) {
      List<Object> copy = new ArrayList<>();
      for (JsonNode item : node) {
        copy.add(fromJson(key + "[]", item));
      }
      return Collections.unmodifiableList(copy);
    }
    if (node.isObject()) {
      TreeMap<String, Object> copy = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        copy.put(e.getKey(), fromJson(key + "." + e.getKey(), e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    throw new IllegalArgumentException(
        "metadata '"
            + key
            + "' is JSON "
            + node.getNodeType()
            + "; metadata holds strings, booleans, numbers, null, arrays and objects");
  }
}
