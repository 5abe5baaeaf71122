package dev.genaiprocessors.testkit.openai;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.realtime.RealtimeClientEvent;
import com.openai.models.realtime.RealtimeServerEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The official SDK ({@code com.openai:openai-java}) as the judge of the wire format: a server event must parse as
 * a {@link RealtimeServerEvent} the SDK recognises and validates, with no field the SDK's types do not know; a
 * client event likewise as a {@link RealtimeClientEvent}. One judge for the emulator's tests here and the
 * processor's tests in processors-openai, which gets it from this module's test jar.
 */
public final class SdkJudge {
  /** The SDK's own mapper, to write events built with the SDK's types. */
  public static final JsonMapper SDK = ObjectMappers.jsonMapper();

  /**
   * Fields the real server sends that the SDK's types leave out: the session object of {@code session.created}
   * and {@code session.updated} is typed as the request shape, without its id, object and expiry.
   */
  private static final Set<String> KNOWN_EXTRAS =
      Set.of("session.id", "session.object", "session.expires_at");

  /**
   * The user's own maps, whose keys the SDK keeps as additional properties by design: metadata, a tool's
   * parameters schema and its properties, a prompt's variables.
   */
  private static final Set<String> USER_MAPS =
      Set.of("metadata", "parameters", "properties", "variables");

  private SdkJudge() {}

  /**
   * Judges one server event.
   *
   * @param json the event as sent
   * @throws AssertionError saying what the SDK did not accept
   */
  public static void assertServerEvent(String json) {
    RealtimeServerEvent event;
    try {
      event = SDK.readValue(json, RealtimeServerEvent.class);
    } catch (Exception e) {
      throw new AssertionError("the SDK cannot read the server event " + json + ": " + e, e);
    }
    if (!recognised(event)) {
      throw new AssertionError("the SDK does not know the server event " + json);
    }
    check(event, json, KNOWN_EXTRAS);
  }

  /**
   * Judges one client event.
   *
   * @param json the event as sent
   * @throws AssertionError saying what the SDK did not accept. The SDK's GA types have no item reference
   *     ({@code {"type": "item_reference", "id": ...}} in {@code response.input}, documented by the API; only the
   *     beta types had {@code ConversationItemWithReference}), so references are checked here to be exactly a type
   *     and an id, and taken out before the SDK judges the rest.
   */
  public static void assertClientEvent(String json) {
    String judged = withoutItemReferences(json);
    RealtimeClientEvent event;
    try {
      event = SDK.readValue(judged, RealtimeClientEvent.class);
    } catch (Exception e) {
      throw new AssertionError("the SDK cannot read the client event " + json + ": " + e, e);
    }
    if (!recognised(event)) {
      throw new AssertionError("the SDK does not know the client event " + json);
    }
    check(event, json, Set.of()); // the server's extras are no excuse for a client
  }

  private static String withoutItemReferences(String json) {
    tools.jackson.databind.JsonNode tree = RealtimeWire.parse(json);
    tools.jackson.databind.JsonNode input = tree.at("/response/input");
    if (!input.isArray()) {
      return json;
    }
    tools.jackson.databind.node.ArrayNode kept = RealtimeWire.NODES.arrayNode();
    for (tools.jackson.databind.JsonNode item : input) {
      if ("item_reference".equals(item.path("type").asString())) {
        if (item.size() != 2 || !item.path("id").isString()) {
          throw new AssertionError(
              "an item reference is {\"type\": \"item_reference\", \"id\": ...}, was " + item);
        }
      } else {
        kept.add(item);
      }
    }
    ((tools.jackson.databind.node.ObjectNode) tree.get("response")).set("input", kept);
    return RealtimeWire.write(tree);
  }

  /** A union the SDK read into one of its variants (it keeps the raw JSON in {@code _json()} either way). */
  private static boolean recognised(Object union) {
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

  private static void check(Object event, String json, Set<String> knownExtras) {
    try {
      event.getClass().getMethod("validate").invoke(event);
    } catch (InvocationTargetException e) {
      throw new AssertionError(
          "the SDK finds the event invalid: " + json + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    List<String> unknown = new ArrayList<>();
    walk(event, "", unknown);
    unknown.removeIf(path -> knownExtras.contains(path.substring(1)));
    if (!unknown.isEmpty()) {
      throw new AssertionError("fields the SDK's types do not know, " + unknown + ", in " + json);
    }
  }

  /** Collects the additional (unknown) properties of every SDK model in the tree. */
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
      return; // an enum-like value
    }
    if (extras != null && !USER_MAPS.contains(path.substring(path.lastIndexOf('.') + 1))) {
      for (Object k : ((Map<?, ?>) invoke(o, extras)).keySet()) {
        // A field the type declares (it has _field()) is known, even though the SDK also lists it
        // among the additional properties for older callers (legacyAdditionalProperties, as
        // RealtimeResponseStatus.Error does with "message").
        if (method(o, "_" + camelCase(k.toString())) == null) {
          unknown.add(path + "." + k);
        }
      }
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
        // a union: follow the variant it holds (isX() true, then asX())
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

  /** {@code status_details} as the SDK's accessors spell it: {@code statusDetails}. */
  private static String camelCase(String snake) {
    StringBuilder sb = new StringBuilder(snake.length());
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
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
