package dev.genaiprocessors.core;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The rule that every number a part holds is finite. JSON has no NaN or infinity: a writer would have
 * to make them up (Jackson writes the strings {@code "NaN"} and {@code "Infinity"}, Python's {@code
 * json.dumps} the bare words, which other readers refuse), so a part could not come back from its JSON
 * form as it went in. Such numbers are refused where they enter a part, with a message that names where
 * the number was: in metadata, function-call arguments, function responses and JSON content alike, and
 * a JSON number too large for a double ({@code 1e400}) is refused the same way, not turned into
 * infinity.
 */
final class FiniteJson {
  private FiniteJson() {}

  /**
   * Checks that every number in a JSON tree is finite.
   *
   * @param what what the tree is, for the message, such as {@code "function call 'f' arguments"}
   * @param node the tree
   * @throws IllegalArgumentException naming the path of the first number that is not finite
   */
  static void require(String what, JsonNode node) {
    String path = firstNonFinite(node, "");
    if (path != null) {
      throw new IllegalArgumentException(
          what
              + " hold a number that is not finite at '"
              + (path.isEmpty() ? "." : path)
              + "' (NaN, an infinity, or a number beyond the range of a double such as 1e400); JSON cannot carry "
              + "it, so a part refuses it: send a finite number, or a string");
    }
  }

  /**
   * Checks that a number of metadata is finite.
   *
   * @param key the metadata key, with its path inside lists and maps
   * @param value the number
   * @throws IllegalArgumentException when it is NaN or infinite
   */
  static void requireMetadata(String key, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "metadata '"
              + key
              + "' is "
              + value
              + " (NaN, an infinity, or a number "
              + "beyond the range of a double such as 1e400); JSON cannot carry it, so a part refuses it: send a "
              + "finite number, or a string");
    }
  }

  private static @Nullable String firstNonFinite(JsonNode node, String path) {
    if (node.isNumber() && !node.isIntegralNumber()) {
      return Double.isFinite(node.doubleValue()) ? null : path;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = firstNonFinite(node.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String found = firstNonFinite(e.getValue(), path + "." + e.getKey());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
