package dev.genaiprocessors.gemini;

import dev.genaiprocessors.client.GenerationConfig;
import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.functions.Tool;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps parts to the JSON body of {@code streamGenerateContent}: {@code contents}, {@code systemInstruction},
 * {@code generationConfig} and {@code tools}. Stateless.
 */
final class GeminiRequests {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GeminiRequests() {}

  /** The mapped prompt: contents and system instruction, ready to be put in a body per attempt. */
  record Prompt(ArrayNode contents, @Nullable ObjectNode systemInstruction) {
    boolean isEmpty() {
      return contents.isEmpty();
    }
  }

  /**
   * Maps a prompt. Parts of role {@code system} go to the system instruction (after the builder's), parts
   * of role {@code model} or {@code assistant} to {@code model} contents, all others to {@code user}
   * contents; consecutive parts of one role share a content. Empty text (control parts, summaries) and
   * parts on the {@code status} and {@code debug} substreams are not sent.
   *
   * @throws IllegalArgumentException for a system part that is not text
   */
  static Prompt prompt(List<Part> parts, @Nullable String systemInstruction) {
    ArrayNode contents = NODES.arrayNode();
    ArrayNode systemParts = NODES.arrayNode();
    if (systemInstruction != null) {
      systemParts.addObject().put("text", systemInstruction);
    }
    String currentRole = null;
    ArrayNode currentParts = null;
    for (Part part : parts) {
      if (part.isStatus() || part.isDebug()) {
        continue;
      }
      String role = part.role().toLowerCase(Locale.ROOT);
      if (role.equals("system")) {
        if (!part.isText() && !part.isJson()) {
          throw new IllegalArgumentException("a system part must be text; got " + part);
        }
        if (!part.text().isEmpty()) {
          systemParts.addObject().put("text", part.text());
        }
        continue;
      }
      ObjectNode wire = part(part);
      if (wire == null) {
        continue;
      }
      String wireRole = role.equals("model") || role.equals("assistant") ? "model" : "user";
      if (currentParts == null || !wireRole.equals(currentRole)) {
        ObjectNode content = contents.addObject();
        content.put("role", wireRole);
        currentParts = content.putArray("parts");
        currentRole = wireRole;
      }
      currentParts.add(wire);
    }
    ObjectNode system = null;
    if (!systemParts.isEmpty()) {
      system = NODES.objectNode();
      system.set("parts", systemParts);
    }
    return new Prompt(contents, system);
  }

  /** One part on the wire, or null when it has nothing to send. */
  static @Nullable ObjectNode part(Part part) {
    ObjectNode wire = NODES.objectNode();
    PartContent content = part.content();
    Object signature = part.metadata(ResponseMetadata.THOUGHT_SIGNATURE);
    if (content instanceof PartContent.Text t) {
      if (t.text().isEmpty() && !(signature instanceof String)) {
        return null;
      }
      wire.put("text", t.text());
      if (ResponseMetadata.isThought(part)) {
        wire.put("thought", true);
      }
    } else if (content instanceof PartContent.Bytes b) {
      ObjectNode inline = wire.putObject("inlineData");
      inline.put("mimeType", b.mimeType());
      inline.put("data", Base64.getEncoder().encodeToString(b.copyBytes()));
    } else if (content instanceof PartContent.FunctionCall c) {
      ObjectNode call = wire.putObject("functionCall");
      if (c.id() != null) {
        call.put("id", c.id());
      }
      call.put("name", c.name());
      call.set("args", c.args());
    } else if (content instanceof PartContent.FunctionResponse r) {
      ObjectNode response = wire.putObject("functionResponse");
      if (r.id() != null) {
        response.put("id", r.id());
      }
      response.put("name", r.name());
      response.set("response", r.response());
    } else if (content instanceof PartContent.Json) {
      wire.put("text", part.text());
    }
    if (signature instanceof String s) {
      wire.put("thoughtSignature", s);
    }
    return wire;
  }

  /**
   * The request body.
   *
   * @param continuation text the model already produced in this turn (a retry after output), or empty
   * @param requestFields top-level fields set last, replacing what was written
   */
  static ObjectNode body(
      Prompt prompt,
      String continuation,
      ObjectNode generationConfig,
      List<Tool> tools,
      Map<String, JsonNode> requestFields) {
    ObjectNode body = NODES.objectNode();
    ArrayNode contents = prompt.contents().deepCopy();
    if (!continuation.isEmpty()) {
      JsonNode last = contents.get(contents.size() - 1);
      ArrayNode parts =
          last.path("role").asString("").equals("model")
              ? (ArrayNode) last.get("parts")
              : contents.addObject().put("role", "model").putArray("parts");
      parts.addObject().put("text", continuation);
    }
    body.set("contents", contents);
    if (prompt.systemInstruction() != null) {
      body.set("systemInstruction", prompt.systemInstruction().deepCopy());
    }
    if (!generationConfig.isEmpty()) {
      body.set("generationConfig", generationConfig.deepCopy());
    }
    if (!tools.isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (Tool tool : tools) {
        ObjectNode d = declarations.addObject();
        d.put("name", tool.name());
        d.put("description", tool.description());
        d.set("parametersJsonSchema", tool.parameters());
      }
    }
    requestFields.forEach((k, v) -> body.set(k, v.deepCopy()));
    return body;
  }

  /** {@code generationConfig}: the typed values under Gemini's names, then the raw fields over them. */
  static ObjectNode generationConfig(GenerationConfig config, @Nullable ObjectNode raw) {
    ObjectNode g = NODES.objectNode();
    if (config.temperature() != null) {
      g.put("temperature", config.temperature());
    }
    if (config.topP() != null) {
      g.put("topP", config.topP());
    }
    if (config.topK() != null) {
      g.put("topK", config.topK());
    }
    if (config.maxOutputTokens() != null) {
      g.put("maxOutputTokens", config.maxOutputTokens());
    }
    if (!config.stopSequences().isEmpty()) {
      ArrayNode stops = g.putArray("stopSequences");
      config.stopSequences().forEach(stops::add);
    }
    if (config.seed() != null) {
      g.put("seed", config.seed());
    }
    JsonNode schema = config.responseSchema();
    if (config.responseMimeType() != null) {
      g.put("responseMimeType", config.responseMimeType());
    } else if (schema != null) {
      g.put("responseMimeType", "application/json");
    }
    if (schema != null) {
      g.set("responseJsonSchema", schema);
    }
    if (raw != null) {
      g.setAll(raw.deepCopy());
    }
    return g;
  }
}
