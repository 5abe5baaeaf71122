package dev.genaiprocessors.gemini.live;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Function declarations as the Gemini API takes them: the fields of its {@code FunctionDeclaration}
 * ({@code name}, {@code description}, {@code parameters}, {@code parametersJsonSchema}, {@code response},
 * {@code responseJsonSchema}, {@code behavior}), with {@code parameters} and {@code response} turned from JSON
 * Schema into the API's {@code Schema} (an OpenAPI subset). Other keys ({@code strict}, ...) are dropped.
 *
 * <p><b>Schema mapping.</b>
 * <ul>
 *   <li>{@code type}: upper-cased ({@code "string"} to {@code STRING}); {@code ["string", "null"]} is
 *       {@code STRING} with {@code nullable: true}; several non-null types become {@code anyOf} of each;
 *   <li>{@code anyOf} and {@code oneOf}: {@code anyOf} of the mapped schemas ({@code oneOf}'s exclusiveness
 *       cannot be said; a {@code {"type": "null"}} branch becomes {@code nullable}); {@code allOf} of one
 *       schema is that schema;
 *   <li>{@code $ref} to {@code #/$defs/...} or {@code #/definitions/...} of the same schema: replaced by the
 *       definition (recursive definitions cannot be inlined and are refused);
 *   <li>{@code const} of a string: {@code enum} of that one value;
 *   <li>kept as they are: {@code description}, {@code title}, {@code format}, {@code enum}, {@code required},
 *       {@code nullable}, {@code minimum}, {@code maximum}, {@code minItems}, {@code maxItems},
 *       {@code minLength}, {@code maxLength}, {@code pattern}, {@code minProperties}, {@code maxProperties},
 *       {@code default}, {@code example} (else the first of {@code examples}), {@code propertyOrdering};
 *   <li>dropped, since they only annotate or the model cannot act on them: {@code $schema}, {@code $id},
 *       {@code $comment}, {@code $defs}, {@code definitions}, {@code additionalProperties}, {@code strict},
 *       {@code readOnly}, {@code writeOnly}, {@code deprecated}, {@code examples}, and keys JSON Schema does
 *       not define;
 *   <li>refused, because the API's {@code Schema} cannot say them: {@code not}, {@code if}/{@code then}/
 *       {@code else}, {@code allOf} of several schemas, {@code patternProperties},
 *       {@code dependentRequired}, {@code dependentSchemas}, {@code uniqueItems}, {@code multipleOf},
 *       {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code prefixItems}, {@code contains},
 *       {@code propertyNames}, {@code unevaluatedProperties}, {@code unevaluatedItems}, a schema-valued
 *       {@code additionalProperties}, a non-local or unknown {@code $ref}, a {@code const} that is not a string,
 *       an unknown type name.
 * </ul>
 * A refusal is an {@link IllegalArgumentException} naming the function and the path of the construct
 * ({@code get_weather: parameters.properties.when.not}), thrown when the processor is built.
 */
final class FunctionDeclarations {
  private static final Set<String> TYPES =
      Set.of("STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL");
  private static final Set<String> KEPT =
      Set.of(
          "description",
          "title",
          "format",
          "enum",
          "required",
          "nullable",
          "minimum",
          "maximum",
          "minItems",
          "maxItems",
          "minLength",
          "maxLength",
          "pattern",
          "minProperties",
          "maxProperties",
          "default",
          "example",
          "propertyOrdering");
  private static final Set<String> REFUSED =
      Set.of(
          "not",
          "if",
          "then",
          "else",
          "patternProperties",
          "dependentRequired",
          "dependentSchemas",
          "dependencies",
          "uniqueItems",
          "multipleOf",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "prefixItems",
          "contains",
          "minContains",
          "maxContains",
          "propertyNames",
          "unevaluatedProperties",
          "unevaluatedItems");

  private FunctionDeclarations() {}

  /**
   * The declaration as the API takes it.
   *
   * @throws IllegalArgumentException when it has no name, or its schemas hold a construct the API cannot express
   */
  static ObjectNode of(ObjectNode declaration) {
    JsonNode nameNode = declaration.get("name");
    if (nameNode == null || !nameNode.isString() || nameNode.stringValue().isBlank()) {
      throw new IllegalArgumentException("a function declaration needs a \"name\"");
    }
    String name = nameNode.stringValue();
    ObjectNode out = Wire.object();
    out.put("name", name);
    for (Map.Entry<String, JsonNode> e : declaration.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      switch (key) {
        case "description" -> out.set(key, value.deepCopy());
        case "parameters", "response" -> {
          if (!value.isObject()) {
            throw refused(name, key, "must be a JSON object schema");
          }
          out.set(
              key,
              new Mapper(name, (ObjectNode) value).map((ObjectNode) value, key, new HashSet<>()));
        }
        case "parametersJsonSchema", "responseJsonSchema" -> out.set(key, value.deepCopy());
        case "behavior" -> {
          String behavior = value.asString();
          if (!behavior.equals("BLOCKING")
              && !behavior.equals("NON_BLOCKING")
              && !behavior.equals("UNSPECIFIED")) {
            throw refused(name, key, "must be BLOCKING or NON_BLOCKING, was " + value);
          }
          out.put(key, behavior);
        }
        default -> {} // strict, name (done) and keys the API does not know
      }
    }
    return out;
  }

  private static IllegalArgumentException refused(String function, String path, String what) {
    return new IllegalArgumentException(
        "function "
            + function
            + ": "
            + path
            + " "
            + what
            + " (the Gemini API's Schema cannot express it; simplify the schema or describe the rule in the description)");
  }

  /** Maps the schemas of one declaration, resolving references against its root. */
  private static final class Mapper {
    private final String function;
    private final ObjectNode root;

    Mapper(String function, ObjectNode root) {
      this.function = function;
      this.root = root;
    }

    ObjectNode map(ObjectNode schema, String path, Set<String> resolving) {
      JsonNode ref = schema.get("$ref");
      if (ref != null) {
        return resolve(ref, schema, path, resolving);
      }
      ObjectNode out = Wire.object();
      for (Map.Entry<String, JsonNode> e : schema.properties()) {
        String key = e.getKey();
        JsonNode value = e.getValue();
        String at = path + "." + key;
        if (REFUSED.contains(key)) {
          throw refused(function, at, "is a JSON Schema keyword");
        }
        switch (key) {
          case "type" -> type(value, out, at);
          case "properties" -> {
            if (!value.isObject()) {
              throw refused(function, at, "must be an object");
            }
            ObjectNode properties = out.putObject("properties");
            for (Map.Entry<String, JsonNode> p : value.properties()) {
              properties.set(
                  p.getKey(),
                  map(
                      schemaAt(p.getValue(), at + "." + p.getKey()),
                      at + "." + p.getKey(),
                      resolving));
            }
          }
          case "items" -> out.set("items", map(schemaAt(value, at), at, resolving));
          case "anyOf", "oneOf" -> anyOf(value, out, at, resolving);
          case "allOf" -> {
            if (!value.isArray() || value.size() != 1) {
              throw refused(function, at, "of several schemas");
            }
            ObjectNode only = map(schemaAt(value.get(0), at + "[0]"), at + "[0]", resolving);
            only.properties().forEach(p -> out.set(p.getKey(), p.getValue()));
          }
          case "const" -> {
            if (!value.isString()) {
              throw refused(
                  function,
                  at,
                  "of a " + value.getNodeType().name().toLowerCase(Locale.ROOT) + " value");
            }
            out.putArray("enum").add(value.stringValue());
          }
          case "additionalProperties" -> {
            if (value.isObject() && !value.isEmpty()) {
              throw refused(function, at, "as a schema");
            }
          }
          case "examples" -> {
            if (!schema.has("example") && value.isArray() && !value.isEmpty()) {
              out.set("example", value.get(0).deepCopy());
            }
          }
          default -> {
            if (KEPT.contains(key)) {
              out.set(key, value.deepCopy());
            }
          }
        }
      }
      return out;
    }

    private ObjectNode schemaAt(JsonNode node, String path) {
      if (node.isObject()) {
        return (ObjectNode) node;
      }
      if (node.isBoolean() && node.booleanValue()) {
        return Wire.object(); // true: anything
      }
      throw refused(function, path, "is not a schema object");
    }

    private void type(JsonNode value, ObjectNode out, String path) {
      if (value.isString()) {
        out.put("type", typeName(value.stringValue(), path));
        return;
      }
      if (!value.isArray() || value.isEmpty()) {
        throw refused(function, path, "must be a type name or an array of them");
      }
      List<String> types = new ArrayList<>();
      boolean nullable = false;
      for (JsonNode t : value) {
        String name = typeName(t.asString(), path);
        if (name.equals("NULL")) {
          nullable = true;
        } else {
          types.add(name);
        }
      }
      if (types.isEmpty()) {
        out.put("type", "NULL");
      } else if (types.size() == 1) {
        out.put("type", types.get(0));
      } else {
        ArrayNode anyOf = out.putArray("anyOf");
        types.forEach(t -> anyOf.addObject().put("type", t));
      }
      if (nullable) {
        out.put("nullable", true);
      }
    }

    private String typeName(String name, String path) {
      String upper = name.toUpperCase(Locale.ROOT);
      if (!TYPES.contains(upper)) {
        throw refused(function, path, "names an unknown type \"" + name + "\"");
      }
      return upper;
    }

    private void anyOf(JsonNode value, ObjectNode out, String path, Set<String> resolving) {
      if (!value.isArray() || value.isEmpty()) {
        throw refused(function, path, "must be a non-empty array");
      }
      List<ObjectNode> branches = new ArrayList<>();
      boolean nullable = false;
      for (int i = 0; i < value.size(); i++) {
        ObjectNode branch =
            map(schemaAt(value.get(i), path + "[" + i + "]"), path + "[" + i + "]", resolving);
        if (branch.size() == 1 && "NULL".equals(branch.path("type").asString())) {
          nullable = true;
        } else {
          branches.add(branch);
        }
      }
      if (branches.size() == 1) {
        branches.get(0).properties().forEach(p -> out.set(p.getKey(), p.getValue()));
      } else if (!branches.isEmpty()) {
        ArrayNode anyOf = out.putArray("anyOf");
        branches.forEach(anyOf::add);
      } else {
        out.put("type", "NULL");
      }
      if (nullable) {
        out.put("nullable", true);
      }
    }

    private ObjectNode resolve(
        JsonNode ref, ObjectNode schema, String path, Set<String> resolving) {
      String at = path + ".$ref";
      String target = ref.asString();
      if (!target.startsWith("#/")) {
        throw refused(function, at, "\"" + target + "\" is not a local reference");
      }
      if (!resolving.add(target)) {
        throw refused(function, at, "\"" + target + "\" is recursive");
      }
      JsonNode found = root.at(target.substring(1));
      if (!found.isObject()) {
        throw refused(function, at, "\"" + target + "\" points at nothing");
      }
      ObjectNode merged = ((ObjectNode) found).deepCopy();
      schema
          .properties()
          .forEach(
              p -> {
                if (!p.getKey().equals("$ref")) {
                  merged.set(
                      p.getKey(), p.getValue().deepCopy()); // siblings of $ref (a description) win
                }
              });
      ObjectNode out = map(merged, path, resolving);
      resolving.remove(target);
      return out;
    }
  }
}
