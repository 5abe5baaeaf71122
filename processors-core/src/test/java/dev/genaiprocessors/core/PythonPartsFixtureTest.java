package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Parts written by the Python original (genai-processors 2.0.3, {@code ProcessorPart.to_dict(mode='json')}),
 * from {@code shared/fixtures/python-parts.jsonl} beside the repository: each loads and writes back
 * as the same JSON, and the same content built with the Java factories writes that JSON too.
 */
class PythonPartsFixtureTest {

  private static final String FIXTURE = "shared/fixtures/python-parts.jsonl";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The Java factories for the constructors listed in {@code shared/fixtures/README.md}. */
  private static final Map<String, Supplier<Part>> JAVA_FACTORIES = javaFactories();

  private static Map<String, Supplier<Part>> javaFactories() {
    Map<String, Supplier<Part>> m = new LinkedHashMap<>();
    m.put(
        "text_meta",
        () -> {
          Map<String, Object> obj = new LinkedHashMap<>();
          obj.put("k", "v");
          obj.put("none", null);
          Map<String, Object> metadata = new LinkedHashMap<>();
          metadata.put("turn_complete", true);
          metadata.put("n", 3);
          metadata.put("f", 1.5);
          metadata.put("lst", List.of(1, "a"));
          metadata.put("obj", obj);
          return Part.text("hello").withRole("user").withSubstream("notes").withMetadata(metadata);
        });
    m.put(
        "png",
        () ->
            Part.image(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n'}, "image/png")
                .withRole("model"));
    m.put(
        "function_call",
        () ->
            Part.functionCall("c1", "get_weather", NODES.objectNode().put("city", "Paris"))
                .withRole("model"));
    m.put("function_call_noargs", () -> Part.functionCall("now", NODES.objectNode()));
    m.put(
        "function_result",
        () -> Part.functionResult("c1", "get_weather", NODES.objectNode().put("temp", 21)));
    m.put(
        "function_response_sched",
        () ->
            Part.of(
                new PartContent.FunctionResponse(
                    "c3",
                    "tick",
                    NODES.objectNode().set("result", NODES.objectNode().put("temp", 21)),
                    Scheduling.SILENT,
                    true,
                    false)));
    m.put("function_error", () -> Part.functionError("c2", "get_weather", "no such city"));
    m.put("json_typed", () -> Part.json(NODES.objectNode().put("sky", "blue"), "Weather"));
    m.put("end_of_turn", Part::endOfTurn);
    m.put("audio", () -> Part.bytes(new byte[] {1, 2, 3, 4}, "audio/l16; rate=24000"));
    m.put("status", () -> Part.status("working"));
    m.put("markdown", () -> Part.text("# title", "text/markdown"));
    m.put("interrupted", Part::interrupted);
    m.put("meta_none", () -> Part.text("x").withMetadata("gone", null));
    m.put(
        "text_as_bytes",
        () -> Part.bytes("plain bytes".getBytes(StandardCharsets.UTF_8), "text/plain"));
    m.put(
        "json_bytes",
        () -> Part.bytes("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), "application/json"));
    m.put("thought", () -> Part.text("hmm").withRole("model").withThought(true));
    return m;
  }

  static List<Arguments> fixtureParts() throws Exception {
    Path file = RepoFiles.find(FIXTURE);
    List<Arguments> parts = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode entry = PartJson.MAPPER.readTree(line);
      parts.add(Arguments.of(entry.get("name").asString(), entry.get("part")));
    }
    return parts;
  }

  private static JsonNode written(Part part) {
    return PartJson.MAPPER.readTree(PartJson.write(part));
  }

  @Test
  void theFixtureHoldsTheSeventeenPartsItsReadmeLists() throws Exception {
    assertThat(fixtureParts())
        .extracting(a -> (String) a.get()[0])
        .containsExactlyElementsOf(JAVA_FACTORIES.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtureParts")
  void everyPartThePythonOriginalWroteLoadsAndWritesBackAsTheSameJson(
      String name, JsonNode python) {
    Part part = PartJson.fromJsonNode(python);
    assertThat(written(part)).as(name).isEqualTo(python);
    assertThat(PartJson.read(PartJson.write(part))).as(name).isEqualTo(part);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtureParts")
  void theSameContentBuiltWithTheJavaFactoriesWritesThatJson(String name, JsonNode python) {
    Part built =
        Objects.requireNonNull(
                JAVA_FACTORIES.get(name), () -> "no Java factory for fixture " + name)
            .get();
    assertThat(written(built)).as(name).isEqualTo(python);
    assertThat(built).as(name).isEqualTo(PartJson.fromJsonNode(python));
  }

  static Stream<String> otherWriters() {
    return Stream.of(
        // a function call with the MIME type this library used to write
        "{\"part\":{\"function_call\":{\"name\":\"f\",\"args\":{}}},\"role\":\"\",\"substream_name\":\"\","
            + "\"mimetype\":\"application/x-function-call\",\"metadata\":{}}",
        // compact JSON text, not json.dumps's spacing
        "{\"part\":{\"text\":\"{\\\"a\\\":1,\\\"b\\\":[1,2]}\"},\"role\":\"\",\"substream_name\":\"\","
            + "\"mimetype\":\"application/json; type=Thing\",\"metadata\":{}}",
        // nulls at the top level, in a list and in an object of the metadata
        "{\"part\":{\"text\":\"x\"},\"role\":\"\",\"substream_name\":\"\",\"mimetype\":\"text/plain\","
            + "\"metadata\":{\"a\":null,\"b\":[null,1],\"c\":{\"d\":null}}}");
  }

  @ParameterizedTest
  @MethodSource("otherWriters")
  void whatAnotherWriterWroteComesBackAsWritten(String json) {
    JsonNode original = PartJson.MAPPER.readTree(json);
    assertThat(written(PartJson.read(json))).isEqualTo(original);
  }
}
