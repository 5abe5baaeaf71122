package dev.genaiprocessors.openai.realtime;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.realtime.RealtimeClientEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The official SDK as the judge of what the processor sends, the approach of the test kit's emulator tests: a
 * client event must parse as a {@link RealtimeClientEvent} of a known variant, pass the SDK's
 * {@code validate()}, and leave no field in any model's additional properties (a field the SDK's types do
 * not know would be lost). The GA types have no item reference, so {@code response.input} references are
 * checked here to be exactly a type and an id, and taken out before the SDK judges the rest.
 */
final class SdkJudge {
  static final JsonMapper SDK = ObjectMappers.jsonMapper();

  /** The user's own maps, whose keys the SDK keeps as additional properties by design. */
  private static final Set<String> USER_MAPS = Set.of("metadata", "parameters", "properties");

  private SdkJudge() {}

  static void assertClientEvent(String json) {
    String judged = withoutItemReferences(json);
    RealtimeClientEvent event;
    try {
      event = SDK.readValue(judged, RealtimeClientEvent.class);
    } catch (Exception e) {
      throw new AssertionError("the SDK cannot read the client event " + json + ": " + e, e);
    }
    if (!variant(event)) {
      throw new AssertionError("the SDK does not know the client event " + json);
    }
    try {
      event.validate();
    } catch (RuntimeException e) {
      throw new AssertionError("the SDK finds the event invalid: " + json + ": " + e, e);
    }
    List<String> unknown = new ArrayList<>();
    walk(event, "", unknown);
    if (!unknown.isEmpty()) {
      throw new AssertionError("fields the SDK's types do not know, " + unknown + ", in " + json);
    }
  }

  private static String withoutItemReferences(String json) {
    tools.jackson.databind.JsonNode tree =
        dev.genaiprocessors.client.internal.WireJson.MAPPER.readTree(json);
    tools.jackson.databind.JsonNode input = tree.at("/response/input");
    if (!input.isArray()) {
      return json;
    }
    tools.jackson.databind.node.ArrayNode kept =
        dev.genaiprocessors.client.internal.WireJson.MAPPER.createArrayNode();
    for (tools.jackson.databind.JsonNode item : input) {
      if ("item_reference".equals(item.path("type").asString())) {
        if (item.size() != 2 || !item.path("id").isString()) {
          throw new AssertionError("an item reference is {\"type\", \"id\"} only, was " + item);
        }
      } else {
        kept.add(item);
      }
    }
    ((tools.jackson.databind.node.ObjectNode) tree.get("response")).set("input", kept);
    return tree.toString();
  }

  private static boolean variant(Object union) {
    for (Method m : union.getClass().getMethods()) {
      if (m.getName().startsWith("is")
          && !m.getName().equals("isValid")
          && m.getParameterCount() == 0
          && m.getReturnType() == boolean.class
          && (Boolean) invoke(union, m)) {
        return true;
      }
    }
    return false;
  }

  private static void walk(Object o, String path, List<String> unknown) {
    if (o instanceof Optional<?> optional) {
      optional.ifPresent(v -> walk(v, path, unknown));
      return;
    }
    if (o instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", unknown);
      }
      return;
    }
    if (o == null || !o.getClass().getName().startsWith("com.openai.models")) {
      return;
    }
    Method extras = method(o, "_additionalProperties");
    boolean union = method(o, "_json") != null;
    if (extras == null && !union) {
      return;
    }
    String last = path.substring(path.lastIndexOf('.') + 1);
    if (extras != null && !USER_MAPS.contains(last)) {
      ((Map<?, ?>) invoke(o, extras)).keySet().forEach(k -> unknown.add(path + "." + k));
    }
    for (Method m : o.getClass().getMethods()) {
      String name = m.getName();
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class
          || name.startsWith("_")
          || name.startsWith("to")
          || name.equals("validate")
          || name.equals("isValid")
          || name.equals("hashCode")
          || name.contains("$")) {
        continue;
      }
      if (union) {
        if (name.startsWith("is") && m.getReturnType() == boolean.class && (Boolean) invoke(o, m)) {
          Method as = method(o, "as" + name.substring(2));
          if (as != null) {
            walk(invoke(o, as), path, unknown);
          }
        }
      } else if (!name.startsWith("is") && !name.startsWith("as")) {
        walk(invoke(o, m), path + "." + name, unknown);
      }
    }
  }

  private static Method method(Object o, String name) {
    try {
      return o.getClass().getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static Object invoke(Object o, Method m) {
    try {
      return m.invoke(o);
    } catch (InvocationTargetException e) {
      throw new AssertionError(
          "the SDK cannot read " + m.getName() + " of " + o + ": " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
