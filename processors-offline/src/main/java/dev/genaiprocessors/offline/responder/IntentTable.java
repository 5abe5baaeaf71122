package dev.genaiprocessors.offline.responder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The intents an {@link OfflineResponder} knows: for each, a name, example user turns (what it is matched
 * against) and replies (used in turn); plus the fallback replies for turns that match none well.
 * Immutable.
 *
 * <p>The {@linkplain #bundled() bundled table} knows greeting, weather, time, joke, help and goodbye. A
 * table of one's own is JSON of this shape, read with {@link #fromJson(InputStream)}:
 * <pre>{@code
 * {
 *   "intents": [
 *     {"name": "time", "examples": ["what time is it?", "tell me the time"], "replies": ["It is {time}."]}
 *   ],
 *   "fallback": ["Sorry, I did not understand that."]
 * }
 * }</pre>
 * {@code {time}} in a reply is replaced by the current time when the reply is given.
 */
public final class IntentTable {

  /** The name of the pseudo-intent of the fallback replies: {@value}. */
  public static final String FALLBACK = "fallback";

  private static final String BUNDLED = "dev/genaiprocessors/offline/responder/intents.json";

  /** One intent: its name, the user turns that mean it, and its replies. */
  public record Intent(String name, List<String> examples, List<String> replies) {
    /**
     * Copies the lists.
     *
     * @param name the intent's name, unique in its table
     * @param examples user sentences that mean this intent, at least one
     * @param replies the replies given in turn, at least one
     */
    public Intent {
      Objects.requireNonNull(name, "name");
      examples = List.copyOf(examples);
      replies = List.copyOf(replies);
    }
  }

  private final List<Intent> intents;
  private final List<String> fallback;

  private IntentTable(List<Intent> intents, List<String> fallback) {
    this.intents = List.copyOf(intents);
    this.fallback = List.copyOf(fallback);
  }

  /**
   * A table of these intents and fallback replies.
   *
   * @param intents the intents, in table order, at least one
   * @param fallback the replies for turns that match no intent, at least one
   * @return the table
   * @throws IllegalArgumentException when there is no intent, an intent has no examples or replies, two
   *     share a name, one is named {@value #FALLBACK}, or there is no fallback reply (every problem is listed)
   */
  public static IntentTable of(List<Intent> intents, List<String> fallback) {
    Objects.requireNonNull(intents, "intents");
    Objects.requireNonNull(fallback, "fallback");
    List<String> problems = new ArrayList<>();
    if (intents.isEmpty()) {
      problems.add("there are no intents");
    }
    Set<String> names = new HashSet<>();
    for (Intent intent : intents) {
      if (intent.name().isBlank()) {
        problems.add("an intent has an empty name");
      } else if (intent.name().equals(FALLBACK)) {
        problems.add("'" + FALLBACK + "' is reserved for the fallback replies");
      } else if (!names.add(intent.name())) {
        problems.add("intent '" + intent.name() + "' appears twice");
      }
      if (intent.examples().stream().allMatch(String::isBlank)) {
        problems.add("intent '" + intent.name() + "' has no examples");
      }
      if (intent.replies().stream().allMatch(String::isBlank)) {
        problems.add("intent '" + intent.name() + "' has no replies");
      }
    }
    if (fallback.stream().allMatch(String::isBlank)) {
      problems.add("there is no fallback reply");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid intent table: " + String.join("; ", problems));
    }
    return new IntentTable(intents, fallback);
  }

  /**
   * The table bundled with this module (greeting, weather, time, joke, help, goodbye). Reads a small
   * resource.
   *
   * @return the bundled table
   */
  public static IntentTable bundled() {
    try (InputStream in = IntentTable.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled intent table " + BUNDLED + " is missing from the class path");
      }
      return fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled intent table " + BUNDLED, e);
    }
  }

  /**
   * A table read from JSON (see the class description for its shape). The stream is read, not closed.
   *
   * @param json a stream of the JSON text; read to its end, not closed
   * @return the table
   * @throws IllegalArgumentException when the JSON is malformed or the table invalid; the message says where
   */
  public static IntentTable fromJson(InputStream json) {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = JsonMapper.shared().readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "the intent table is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "the intent table must be a JSON object with 'intents' and 'fallback'");
    }
    List<Intent> intents = new ArrayList<>();
    JsonNode list = root.path("intents");
    if (!list.isArray()) {
      throw new IllegalArgumentException("the intent table needs an 'intents' array");
    }
    int index = 0;
    for (JsonNode node : list) {
      String where = "intents[" + index++ + "]";
      intents.add(
          new Intent(
              node.path("name").asString(""),
              strings(node, "examples", where),
              strings(node, "replies", where)));
    }
    return of(intents, strings(root, FALLBACK, "the table"));
  }

  /**
   * The intents, in table order.
   *
   * @return an unmodifiable list of the intents
   */
  public List<Intent> intents() {
    return intents;
  }

  /**
   * The replies for turns that match no intent well enough.
   *
   * @return an unmodifiable list of the fallback replies, at least one
   */
  public List<String> fallback() {
    return fallback;
  }

  private static List<String> strings(JsonNode node, String field, String where) {
    JsonNode array = node.path(field);
    if (!array.isArray()) {
      throw new IllegalArgumentException(where + " needs a '" + field + "' array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode value : array) {
      if (!value.isString()) {
        throw new IllegalArgumentException(
            where + "." + field + " must hold strings only, found " + value);
      }
      values.add(value.asString());
    }
    return values;
  }
}
