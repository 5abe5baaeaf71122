package dev.genaiprocessors.testkit.internal;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON writer of the HTTP emulators. The emulators keep their own, and never use the clients' JSON
 * code, so that a mistake in the clients' wire code cannot hide in both sides at once.
 */
public final class EmulatorJson {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private EmulatorJson() {}

  /**
   * Writes a JSON tree compactly.
   *
   * @param node the tree
   * @return its JSON text
   */
  public static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }
}
