package dev.genaiprocessors.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile variations of a valid JSON message, for the fuzz suites: values swapped for ones of the wrong
 * type or out of range (integers of 2^63 and more, {@code 1e400}, deep nesting, huge strings), fields
 * deleted or added, and the text itself cut or corrupted. Deterministic for a given {@link Random}. In
 * processors-core's test jar, for the fuzz suites of every module (Part JSON, model responses, Live
 * server messages).
 */
public final class HostileJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonMapper JSON = JsonMapper.shared();

  private HostileJson() {}

  /** A hostile value of any JSON type. */
  public static JsonNode value(Random random) {
    return switch (random.nextInt(22)) {
      case 0 -> NODES.numberNode(new java.math.BigInteger("9223372036854775808")); // 2^63
      case 1 -> NODES.numberNode(new java.math.BigInteger("-9223372036854775809"));
      case 2 -> NODES.numberNode(new java.math.BigInteger("99999999999999999999999999999999"));
      case 3 -> NODES.numberNode(Double.POSITIVE_INFINITY);
      case 4 -> NODES.numberNode(Double.NaN);
      case 5 -> NODES.numberNode(-1);
      case 6 -> NODES.numberNode(0);
      case 7 -> NODES.numberNode(2.5);
      case 8 -> NODES.numberNode(Integer.MAX_VALUE + 1L);
      case 9 -> NODES.stringNode("");
      case 10 -> NODES.stringNode("x".repeat(random.nextInt(3) == 0 ? 20_000 : 3));
      case 11 -> NODES.stringNode("\u0000\uFFFF\uD800;=/,\"");
      case 12 -> NODES.objectNode();
      case 13 -> NODES.arrayNode();
      case 14 -> NODES.nullNode();
      case 15 -> NODES.booleanNode(random.nextBoolean());
      case 16 -> deep(random.nextInt(200) + 1);
      case 17 -> NODES.arrayNode().add(NODES.objectNode()).add(NODES.stringNode("a")).add(1);
      case 18 -> NODES.stringNode("audio/pcm;rate=" + random.nextInt());
      case 19 -> NODES.stringNode("not base64 !!!");
      case 20 -> NODES.objectNode().put("", 1).put(";", "x");
      default -> NODES.stringNode("text/plain");
    };
  }

  private static JsonNode deep(int depth) {
    JsonNode node = NODES.numberNode(1);
    for (int i = 0; i < depth; i++) {
      node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
    }
    return node;
  }

  /**
   * A variation of {@code valid}: one to four nodes replaced, deleted or given extra fields, then, one
   * time in five, the text cut or a byte changed.
   */
  public static String mutate(String valid, Random random) {
    JsonNode root = JSON.readTree(valid);
    int changes = 1 + random.nextInt(4);
    for (int i = 0; i < changes; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get(random.nextInt(containers.size()));
      if (target instanceof ObjectNode object) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
          names.add(e.getKey());
        }
        int what = random.nextInt(4);
        if (names.isEmpty() || what == 0) {
          object.set(
              names.isEmpty() || random.nextBoolean()
                  ? "extra" + random.nextInt(3)
                  : names.get(random.nextInt(names.size())),
              value(random));
        } else if (what == 1) {
          object.remove(names.get(random.nextInt(names.size())));
        } else {
          object.set(names.get(random.nextInt(names.size())), value(random));
        }
      } else if (target instanceof ArrayNode array) {
        if (array.isEmpty() || random.nextBoolean()) {
          array.add(value(random));
        } else {
          array.set(random.nextInt(array.size()), value(random));
        }
      }
    }
    String text = JSON.writeValueAsString(root);
    if (random.nextInt(5) == 0) {
      text = corrupt(text, random);
    }
    return text;
  }

  /** The text cut at a random place, or one byte of it changed. */
  public static String corrupt(String text, Random random) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0) {
      return text;
    }
    if (random.nextBoolean()) {
      return new String(bytes, 0, random.nextInt(bytes.length), StandardCharsets.UTF_8);
    }
    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainer()) {
      out.add(node);
      for (JsonNode child : node) {
        collect(child, out);
      }
    }
  }
}
