package dev.genaiprocessors.core;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes parts as JSON, in one stable format used by caches, traces and servers.
 *
 * <p>The format is that of the original library's {@code ProcessorPart.to_dict}, so parts travel
 * between the two:
 *
 * <pre>{@code
 * {"part": {"text": "hi"}, "role": "user", "substream_name": "", "mimetype": "text/plain", "metadata": {}}
 * {"part": {"inline_data": {"data": "<base64>", "mime_type": "audio/pcm;rate=16000"}}, ...}
 * {"part": {"function_call": {"id": "c1", "name": "f", "args": {...}}}, ...}
 * {"part": {"function_response": {"id": "c1", "name": "f", "response": {"result": ...},
 *           "scheduling": "WHEN_IDLE", "will_continue": true}}, ...}
 * {"part": {"function_response": {"id": "c2", "name": "f", "response": {"error": "message"}}}, ...}
 * {"part": {"text": "{\"k\": 1}"}, "mimetype": "application/json; type=Name", ...}
 * {"part": {"text": "hmm", "thought": true}, "role": "model", ...}
 * }</pre>
 *
 * <p>Written exactly as the original writes, so that its {@code ProcessorPart.from_dict}, which
 * rejects unknown fields, reads every part written here: fields the original leaves out when unset
 * are left out ({@code id} without one, {@code scheduling} without one, {@code will_continue} and
 * {@code thought} unless true), and an error response is told by its {@code "error"} field, with no
 * field of its own. Read and written back, a part gives the same JSON, key order aside: metadata
 * {@code null}s are kept at every depth, the MIME type of a function call or response is kept as
 * written, and the text of a JSON part is kept as written ({@link PartContent.Json#parse}). JSON
 * parts made from a tree are written with the text the original's {@code json.dumps} gives.
 *
 * <p>Reading is lenient where senders differ: camelCase field names ({@code inlineData},
 * {@code mimeType}, {@code substreamName}) and URL-safe base64 are accepted. Anything that does not
 * describe a part is a {@link MalformedPartException} naming the field; no half-built part is returned.
 *
 * <p>Thread-safe; the methods are static.
 */
public final class PartJson {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** Writes JSON text as Python's {@code json.dumps} does by default: {@code ", "}, {@code ": "}, non-ASCII escaped. */
  private static final JsonMapper PYTHON_STYLE =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .defaultPrettyPrinter(
              new DefaultPrettyPrinter(
                      new Separators()
                          .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                          .withObjectEntrySpacing(Separators.Spacing.AFTER)
                          .withArrayElementSpacing(Separators.Spacing.AFTER)
                          .withObjectEmptySeparator("")
                          .withArrayEmptySeparator(""))
                  .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter())
                  .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter()))
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PartJson() {}

  /**
   * The part as a JSON string.
   *
   * @param part the part to write
   * @return its JSON text
   */
  public static String write(Part part) {
    return MAPPER.writeValueAsString(toJsonNode(part));
  }

  /**
   * The part as a JSON object, metadata keys sorted.
   *
   * @param part the part to write
   * @return a new JSON object describing it
   */
  public static ObjectNode toJsonNode(Part part) {
    ObjectNode root = NODES.objectNode();
    ObjectNode p = root.putObject("part");
    PartContent content = part.content();
    if (content instanceof PartContent.Text t) {
      p.put("text", t.text());
    } else if (content instanceof PartContent.Bytes b) {
      ObjectNode inline = p.putObject("inline_data");
      inline.put("data", Base64.getEncoder().encodeToString(b.copyBytes()));
      inline.put("mime_type", b.mimeType());
    } else if (content instanceof PartContent.FunctionCall c) {
      ObjectNode call = p.putObject("function_call");
      if (c.id() != null) {
        call.put("id", c.id());
      }
      call.put("name", c.name());
      call.set("args", c.args());
    } else if (content instanceof PartContent.FunctionResponse r) {
      ObjectNode response = p.putObject("function_response");
      if (r.id() != null) {
        response.put("id", r.id());
      }
      response.put("name", r.name());
      // The error is in the response itself ({"error": ...}), as the original encodes it.
      response.set("response", r.response());
      if (r.scheduling() != null) {
        response.put("scheduling", r.scheduling().name());
      }
      if (r.willContinue()) {
        response.put("will_continue", true);
      }
    } else if (content instanceof PartContent.Json j) {
      // Text given is written as given; a tree as the original's json.dumps writes it.
      p.put("text", j.givenText() != null ? j.givenText() : writeJsonText(j.value()));
    }
    if (part.isThought()) {
      p.put("thought", true);
    }
    root.put("role", part.role());
    root.put("substream_name", part.substream());
    root.put("mimetype", part.mimeType());
    root.set("metadata", toJson(part.metadata()));
    return root;
  }

  /**
   * Reads a part from its JSON string.
   *
   * @param json the JSON text of one part, as {@link #write} gives it
   * @return the part
   * @throws MalformedPartException when the text is not JSON or does not describe a part
   */
  public static Part read(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new MalformedPartException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    return fromJsonNode(node);
  }

  /**
   * Reads a part from a JSON object.
   *
   * @param root a JSON object, as {@link #toJsonNode} gives it
   * @return the part
   * @throws MalformedPartException when the object does not describe a part
   */
  public static Part fromJsonNode(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new MalformedPartException("a part must be a JSON object with a 'part' field");
    }
    JsonNode p = root.get("part");
    if (p == null || !p.isObject()) {
      throw new MalformedPartException("missing object field 'part' in " + abbreviate(root));
    }
    String mimeType = optionalString(root, "mimetype", "mimeType", "mime_type");
    Part part;
    JsonNode inline = field(p, "inline_data", "inlineData");
    JsonNode call = field(p, "function_call", "functionCall");
    JsonNode response = field(p, "function_response", "functionResponse");
    JsonNode text = p.get("text");
    try {
      if (inline != null) {
        String data = requireString(inline, "inline_data.data", "data");
        String mime = optionalString(inline, "mime_type", "mimeType");
        if (mime == null) {
          mime = mimeType;
        }
        if (mime == null) {
          throw new MalformedPartException("inline_data has no mime_type and the part no mimetype");
        }
        part = Part.bytes(decodeBase64(data), mime);
      } else if (call != null) {
        part =
            Part.functionCall(
                optionalString(call, "id"),
                requireString(call, "function_call.name", "name"),
                objectOrEmpty(call.get("args")));
      } else if (response != null) {
        String scheduling = optionalString(response, "scheduling");
        Boolean willContinue =
            optionalBoolean(
                response, "function_response.will_continue", "will_continue", "willContinue");
        JsonNode body = objectOrEmpty(response.get("response"));
        part =
            Part.of(
                new PartContent.FunctionResponse(
                    optionalString(response, "id"),
                    requireString(response, "function_response.name", "name"),
                    body,
                    scheduling == null
                        ? null
                        : Scheduling.valueOf(scheduling.toUpperCase(Locale.ROOT)),
                    willContinue != null && willContinue,
                    body.has("error")));
      } else if (text != null) {
        if (!text.isString()) {
          throw new MalformedPartException("part.text must be a string, was " + text.getNodeType());
        }
        String mime = mimeType == null ? MimeTypes.TEXT_PLAIN : mimeType;
        if (MimeTypes.isJson(mime)) {
          part =
              Part.of(
                  PartContent.Json.parse(text.asString(), MimeTypes.typeName(mime).orElse(null)));
        } else {
          part = Part.text(text.asString(), MimeTypes.isText(mime) ? mime : MimeTypes.TEXT_PLAIN);
        }
      } else {
        throw new MalformedPartException(
            "'part' holds none of text, inline_data, function_call, function_response: "
                + abbreviate(p));
      }
    } catch (MalformedPartException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new MalformedPartException("invalid part: " + e.getMessage(), e);
    }
    String role = optionalString(root, "role");
    String substream = optionalString(root, "substream_name", "substreamName", "substream");
    JsonNode metadata = root.get("metadata");
    if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
      throw new MalformedPartException(
          "'metadata' must be an object, was " + metadata.getNodeType());
    }
    Boolean thought = optionalBoolean(p, "part.thought", "thought");
    part =
        part.withRole(role == null ? "" : role)
            .withSubstream(substream == null ? "" : substream)
            .withThought(thought != null && thought);
    if (mimeType != null) {
      part = part.withFunctionMimeType(mimeType);
    }
    if (metadata != null && metadata.isObject() && !metadata.isEmpty()) {
      try {
        part = part.withMetadata(metadataMap((ObjectNode) metadata));
      } catch (IllegalArgumentException e) {
        throw new MalformedPartException("invalid metadata: " + e.getMessage(), e);
      }
    }
    return part;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadataMap(ObjectNode node) {
    // An object node normalises to a map, never to null.
    return (Map<String, Object>) Objects.requireNonNull(MetadataValues.normalize("metadata", node));
  }

  // ---------------------------------------------------------------- JSON values

  /** Writes a JSON value as the original library's {@code json.dumps} does, for the JSON form of JSON parts. */
  static String writeJsonText(JsonNode value) {
    return PYTHON_STYLE.writeValueAsString(value);
  }

  static JsonNode parseJson(String text, String mimeType) {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "text of MIME type '" + mimeType + "' is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A normalised metadata value as a JSON node. */
  static JsonNode toJson(@Nullable Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof String s) {
      return NODES.stringNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode node = NODES.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        node.set((String) e.getKey(), toJson(e.getValue()));
      }
      return node;
    }
    if (value instanceof List<?> list) {
      ArrayNode node = NODES.arrayNode();
      for (Object item : list) {
        node.add(toJson(item));
      }
      return node;
    }
    throw new IllegalStateException("not a normalised metadata value: " + value.getClass());
  }

  // ---------------------------------------------------------------- field access

  private static @Nullable JsonNode field(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode value = node.get(name);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }

  private static @Nullable String optionalString(JsonNode node, String... names) {
    JsonNode value = field(node, names);
    if (value == null) {
      return null;
    }
    if (!value.isString()) {
      throw new MalformedPartException(
          "'" + names[0] + "' must be a string, was " + value.getNodeType());
    }
    return value.asString();
  }

  private static @Nullable Boolean optionalBoolean(JsonNode node, String path, String... names) {
    JsonNode value = field(node, names);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      throw new MalformedPartException(
          "'" + path + "' must be a boolean, was " + value.getNodeType());
    }
    return value.booleanValue();
  }

  private static String requireString(JsonNode node, String path, String name) {
    String value = optionalString(node, name);
    if (value == null) {
      throw new MalformedPartException("missing string field '" + path + "'");
    }
    return value;
  }

  private static JsonNode objectOrEmpty(@Nullable JsonNode node) {
    return node == null || node.isNull() ? NODES.objectNode() : node;
  }

  private static byte[] decodeBase64(String data) {
    try {
      return data.indexOf('-') >= 0 || data.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(data)
          : Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw new MalformedPartException("inline_data.data is not base64: " + e.getMessage(), e);
    }
  }

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
