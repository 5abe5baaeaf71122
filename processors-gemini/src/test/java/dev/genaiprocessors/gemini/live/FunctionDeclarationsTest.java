package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON Schema declarations become the API's Schema: everything it can say, a clear refusal for the rest. */
class FunctionDeclarationsTest {

  static ObjectNode json(String text) {
    return (ObjectNode) Wire.JSON.readTree(text);
  }

  static JsonNode declare(String parameters) {
    return FunctionDeclarations.of(
        json(
            "{\"name\": \"f\", \"description\": \"d\", \"strict\": true, \"parameters\": "
                + parameters
                + "}"));
  }

  @Test
  void nullableTypeArraysBecomeNullableAndUnknownKeysAreDropped() {
    JsonNode d =
        declare(
            """
        {"type": "object", "additionalProperties": false, "$schema": "x", "strict": true,
         "properties": {"note": {"type": ["string", "null"], "minLength": 1, "maxLength": 80, "pattern": "^[a-z]+$",
                                 "default": "none", "example": "abc", "x-vendor": 1},
                        "n": {"type": ["integer", "number"]}},
         "minProperties": 1, "maxProperties": 2}""");
    assertThat(d)
        .isEqualTo(
            json(
                """
        {"name": "f", "description": "d", "parameters": {"type": "OBJECT",
         "properties": {"note": {"type": "STRING", "nullable": true, "minLength": 1, "maxLength": 80,
                                 "pattern": "^[a-z]+$", "default": "none", "example": "abc"},
                        "n": {"anyOf": [{"type": "INTEGER"}, {"type": "NUMBER"}]}},
         "minProperties": 1, "maxProperties": 2}}"""));
  }

  @Test
  void anyOfOneOfAndLocalReferencesAreMapped() {
    JsonNode d =
        declare(
            """
        {"type": "object", "$defs": {"City": {"type": "object", "properties": {"name": {"type": "string"}}}},
         "properties": {
           "where": {"$ref": "#/$defs/City", "description": "the city"},
           "when": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
           "unit": {"oneOf": [{"const": "C"}, {"const": "F"}]},
           "list": {"type": "array", "items": {"$ref": "#/$defs/City"}, "minItems": 1}}}""");
    assertThat(d.get("parameters"))
        .isEqualTo(
            json(
                """
        {"type": "OBJECT", "properties": {
           "where": {"type": "OBJECT", "properties": {"name": {"type": "STRING"}}, "description": "the city"},
           "when": {"type": "STRING", "format": "date", "nullable": true},
           "unit": {"anyOf": [{"enum": ["C"]}, {"enum": ["F"]}]},
           "list": {"type": "ARRAY", "items": {"type": "OBJECT", "properties": {"name": {"type": "STRING"}}}, "minItems": 1}}}"""));
  }

  @Test
  void inexpressibleConstructsAreRefusedNamingTheFunctionAndThePath() {
    assertThatThrownBy(
            () ->
                declare(
                    "{\"type\": \"object\", \"properties\": {\"a\": {\"not\": {\"type\": \"string\"}}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("function f: parameters.properties.a.not");
    assertThatThrownBy(
            () ->
                declare(
                    "{\"$defs\": {\"N\": {\"type\": \"object\", \"properties\": {\"next\": {\"$ref\": \"#/$defs/N\"}}}},"
                        + " \"type\": \"object\", \"properties\": {\"head\": {\"$ref\": \"#/$defs/N\"}}}"))
        .hasMessageContaining("parameters.properties.head.properties.next.$ref")
        .hasMessageContaining("recursive");
    assertThatThrownBy(
            () ->
                declare(
                    "{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"https://x/s.json\"}}}"))
        .hasMessageContaining("not a local reference");
    assertThatThrownBy(() -> declare("{\"type\": \"objekt\"}"))
        .hasMessageContaining("unknown type");
    assertThatThrownBy(
            () -> declare("{\"allOf\": [{\"type\": \"object\"}, {\"required\": [\"a\"]}]}"))
        .hasMessageContaining("parameters.allOf");
  }

  @Test
  void theBuilderRefusesABadDeclarationWhenItIsGiven() {
    assertThatThrownBy(
            () ->
                GeminiLiveProcessor.builder()
                    .functionDeclaration(
                        json(
                            "{\"name\": \"g\", \"parameters\": {\"type\": \"object\", \"uniqueItems\": true}}"),
                        false))
        .hasMessageContaining("function g: parameters.uniqueItems");
  }
}
