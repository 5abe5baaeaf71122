package dev.genaiprocessors.core.functions;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Derives the JSON schema of tool parameters from Java types: the subset of JSON Schema (OpenAPI 3)
 * that model APIs accept for function declarations.
 *
 * <p>Strings and characters are {@code string}; whole numbers {@code integer}; other numbers
 * {@code number}; booleans {@code boolean}; enums {@code string} with {@code enum}; arrays and
 * collections {@code array} with {@code items}; records {@code object} with one property per
 * component; maps {@code object}. {@link Optional} makes a parameter not required.
 */
final class ToolSchema {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ToolSchema() {}

  /** The schema of a method's parameters, as one object. */
  static ObjectNode ofParameters(Parameter[] parameters) {
    ObjectNode schema = NODES.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = NODES.arrayNode();
    for (Parameter p : parameters) {
      ToolParam meta = p.getAnnotation(ToolParam.class);
      String name = meta != null && !meta.name().isEmpty() ? meta.name() : p.getName();
      if (!p.isNamePresent() && (meta == null || meta.name().isEmpty())) {
        throw new IllegalArgumentException(
            "parameter names of "
                + p.getDeclaringExecutable()
                + " were not kept; compile with -parameters or name them with @ToolParam(name = ...)");
      }
      properties.set(name, describe(of(p.getParameterizedType()), meta));
      if (isRequired(p.getType(), meta)) {
        required.add(name);
      }
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    return schema;
  }

  /** The schema of a Java type. */
  static ObjectNode of(Type type) {
    if (type instanceof Class<?> c) {
      return ofClass(c);
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode schema = NODES.objectNode().put("type", "array");
        schema.set("items", of(p.getActualTypeArguments()[0]));
        return schema;
      }
      if (Optional.class.equals(raw)) {
        return of(p.getActualTypeArguments()[0]);
      }
      if (Map.class.isAssignableFrom(raw)) {
        return NODES.objectNode().put("type", "object");
      }
      return ofClass(raw);
    }
    if (type instanceof GenericArrayType a) {
      ObjectNode schema = NODES.objectNode().put("type", "array");
      schema.set("items", of(a.getGenericComponentType()));
      return schema;
    }
    throw new IllegalArgumentException("cannot describe type " + type + " as a JSON schema");
  }

  private static ObjectNode ofClass(Class<?> c) {
    if (c == String.class || c == char.class || c == Character.class) {
      return NODES.objectNode().put("type", "string");
    }
    if (c == int.class
        || c == long.class
        || c == short.class
        || c == byte.class
        || c == Integer.class
        || c == Long.class
        || c == Short.class
        || c == Byte.class
        || c == BigInteger.class) {
      return NODES.objectNode().put("type", "integer");
    }
    if (c == double.class
        || c == float.class
        || c == Double.class
        || c == Float.class
        || c == BigDecimal.class) {
      return NODES.objectNode().put("type", "number");
    }
    if (c == boolean.class || c == Boolean.class) {
      return NODES.objectNode().put("type", "boolean");
    }
    if (c.isEnum()) {
      ObjectNode schema = NODES.objectNode().put("type", "string");
      ArrayNode values = schema.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
      return schema;
    }
    if (c.isArray()) {
      ObjectNode schema = NODES.objectNode().put("type", "array");
      schema.set("items", ofClass(c.getComponentType()));
      return schema;
    }
    if (c.isRecord()) {
      ObjectNode schema = NODES.objectNode().put("type", "object");
      ObjectNode properties = schema.putObject("properties");
      ArrayNode required = NODES.arrayNode();
      for (RecordComponent rc : c.getRecordComponents()) {
        ToolParam meta = rc.getAnnotation(ToolParam.class);
        String name = meta != null && !meta.name().isEmpty() ? meta.name() : rc.getName();
        properties.set(name, describe(of(rc.getGenericType()), meta));
        if (isRequired(rc.getType(), meta)) {
          required.add(name);
        }
      }
      if (!required.isEmpty()) {
        schema.set("required", required);
      }
      return schema;
    }
    if (Map.class.isAssignableFrom(c)) {
      return NODES.objectNode().put("type", "object");
    }
    if (Collection.class.isAssignableFrom(c)) {
      return NODES.objectNode().put("type", "array");
    }
    throw new IllegalArgumentException(
        "cannot describe "
            + c.getName()
            + " as a JSON schema; use strings, numbers, booleans, enums, arrays, lists, maps or records");
  }

  private static ObjectNode describe(ObjectNode schema, @Nullable ToolParam meta) {
    if (meta != null && !meta.description().isEmpty()) {
      schema.put("description", meta.description());
    }
    return schema;
  }

  private static boolean isRequired(Class<?> type, @Nullable ToolParam meta) {
    return type != Optional.class && (meta == null || meta.required());
  }
}
