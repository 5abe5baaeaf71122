package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Part JSON under hostile input: the parts of the Python original's fixture and of the Java factories,
 * with nodes replaced by values of the wrong type or out of range, fields removed or added, and the text
 * cut or corrupted. Only {@link MalformedPartException} may come out of {@link PartJson#read}, and
 * whatever it reads writes back and reads again as an equal part. Seeded and bounded: 3,000 tries.
 */
class PartJsonFuzzTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> VALID = validParts();

  private static List<String> validParts() {
    List<String> parts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(RepoFiles.find("shared/fixtures/python-parts.jsonl"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          parts.add(PartJson.MAPPER.readTree(line).get("part").toString());
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    parts.add(PartJson.write(Part.functionError("c9", "f", "boom").withThought(true)));
    parts.add(PartJson.write(Part.audio(new byte[] {1, 2, 3, 4}, 16000).withMetadata("n", List.of(1, 2.5, "x"))));
    return parts;
  }

  @Provide
  Arbitrary<String> hostileParts() {
    return Arbitraries.randomValue(random -> mutate(VALID.get(random.nextInt(VALID.size())), random));
  }

  @Property(tries = 3000, seed = "20261207")
  void onlyMalformedPartExceptionComesOutAndWhatIsReadRoundTrips(@ForAll("hostileParts") String json) {
    Part part;
    try {
      part = PartJson.read(json);
    } catch (MalformedPartException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(PartJson.read(PartJson.write(part))).isEqualTo(part);
  }

  /** One to four nodes replaced, removed or added; then, one time in five, the text cut or a character changed. */
  static String mutate(String valid, Random random) {
    JsonNode root = PartJson.MAPPER.readTree(valid);
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get(random.nextInt(containers.size()));
      if (target instanceof ObjectNode object) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
          names.add(e.getKey());
        }
        if (names.isEmpty() || random.nextInt(4) == 0) {
          object.set(random.nextBoolean() ? "extra" : "part", value(random));
        } else if (random.nextInt(3) == 0) {
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
    String text = root.toString();
    if (random.nextInt(5) == 0 && !text.isEmpty()) {
      int at = random.nextInt(text.length());
      text = random.nextBoolean() ? text.substring(0, at) : text.substring(0, at) + (char) random.nextInt(128) + text.substring(at + 1);
    }
    return text;
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainer()) {
      out.add(node);
      for (JsonNode child : node) {
        collect(child, out);
      }
    }
  }

  private static JsonNode value(Random random) {
    return switch (random.nextInt(18)) {
      case 0 -> NODES.numberNode(new BigInteger("9223372036854775808"));
      case 1 -> NODES.numberNode(Double.POSITIVE_INFINITY);
      case 2 -> NODES.numberNode(Double.NaN);
      case 3 -> NODES.numberNode(-1);
      case 4 -> NODES.numberNode(2.5);
      case 5 -> NODES.stringNode("");
      case 6 -> NODES.stringNode("\u0000\uFFFF\uD800;=/,\"");
      case 7 -> NODES.stringNode("not base64 !!!");
      case 8 -> NODES.stringNode("audio/pcm;rate=" + random.nextInt());
      case 9 -> NODES.stringNode("SILENT");
      case 10 -> NODES.objectNode();
      case 11 -> NODES.arrayNode();
      case 12 -> NODES.nullNode();
      case 13 -> NODES.booleanNode(random.nextBoolean());
      case 14 -> NODES.objectNode().put("error", "x");
      case 15 -> NODES.objectNode().put("name", "f").set("args", NODES.arrayNode());
      case 16 -> deep(1 + random.nextInt(300));
      default -> NODES.stringNode("application/json; type=W");
    };
  }

  private static JsonNode deep(int depth) {
    JsonNode node = NODES.numberNode(1);
    for (int i = 0; i < depth; i++) {
      node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
    }
    return node;
  }
}
