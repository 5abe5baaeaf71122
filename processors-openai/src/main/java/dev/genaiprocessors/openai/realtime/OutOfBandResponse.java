package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request for an out-of-band response: a {@code response.create} with {@code conversation: "none"}, which
 * runs beside the conversation's answer and adds nothing to the conversation. Send it into the processor as a
 * part ({@link #toPart()}); every part of its answer carries {@link RealtimeParts#OUT_OF_BAND} and the
 * {@link RealtimeParts#RESPONSE_METADATA metadata} given here, so a pipeline can tell it apart.
 *
 * <pre>{@code
 * Part classify = OutOfBandResponse.builder()
 *     .instructions("Classify the user's intent in one word.")
 *     .metadata("purpose", "classify")
 *     .itemReference(lastUserItemId)          // or .input(Part.text("book a flight"))
 *     .textOnly()
 *     .build()
 *     .toPart();
 * }</pre>
 *
 * <p>Without input, the response sees the whole default conversation; with input (parts and item references,
 * in the order added), it sees only that. Immutable.
 */
public final class OutOfBandResponse {
  /** The type name of the JSON part {@link #toPart()} makes. */
  public static final String PART_TYPE = "openai.realtime.out_of_band_response";

  private final ObjectNode response;

  private OutOfBandResponse(ObjectNode response) {
    this.response = response;
  }

  /**
   * An empty request.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The request as a part for the processor's input.
   *
   * @return a JSON part of type {@link #PART_TYPE}
   */
  public Part toPart() {
    return Part.json(response.deepCopy(), PART_TYPE);
  }

  /**
   * The {@code response} object of the {@code response.create} event, if the part is a request.
   *
   * @param part any part
   * @return the response object, or null when the part is not an out-of-band request
   */
  static @Nullable ObjectNode responseOf(Part part) {
    if (part.isJson()
        && part.content() instanceof dev.genaiprocessors.core.PartContent.Json j
        && PART_TYPE.equals(j.typeName())
        && j.value() instanceof ObjectNode o) {
      return o.deepCopy();
    }
    return null;
  }

  /** Builds an {@link OutOfBandResponse}; not thread-safe. */
  public static final class Builder {
    private @Nullable String instructions;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<JsonNode> input = new ArrayList<>();
    private boolean inputSet;
    private boolean textOnly;

    private Builder() {}

    /**
     * The instructions for this response only.
     *
     * @param text the instructions
     * @return this builder
     */
    public Builder instructions(String text) {
      this.instructions = Objects.requireNonNull(text, "text");
      return this;
    }

    /**
     * A metadata entry, echoed on the answer's parts (the server takes up to 16).
     *
     * @param key the key
     * @param value the value
     * @return this builder
     */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Input of the response: a user message of a text or image part.
     *
     * @param part a text or image part
     * @return this builder
     * @throws IllegalArgumentException when the part is neither text nor an image
     */
    public Builder input(Part part) {
      input.add(ClientEvents.userMessage(part));
      inputSet = true;
      return this;
    }

    /**
     * Input of the response: an earlier conversation item, by its id ({@link RealtimeParts#ITEM_ID}).
     *
     * @param itemId the item's id
     * @return this builder
     */
    public Builder itemReference(String itemId) {
      ObjectNode ref = WireJson.MAPPER.createObjectNode();
      ref.put("type", "item_reference");
      ref.put("id", Objects.requireNonNull(itemId, "itemId"));
      input.add(ref);
      inputSet = true;
      return this;
    }

    /**
     * An empty context: the response sees nothing but its instructions.
     *
     * @return this builder
     */
    public Builder emptyInput() {
      input.clear();
      inputSet = true;
      return this;
    }

    /**
     * Answer in text instead of the session's modality.
     *
     * @return this builder
     */
    public Builder textOnly() {
      this.textOnly = true;
      return this;
    }

    /**
     * The request.
     *
     * @return an immutable request
     */
    public OutOfBandResponse build() {
      ObjectNode r = WireJson.MAPPER.createObjectNode();
      r.put("conversation", "none");
      if (textOnly) {
        r.putArray("output_modalities").add("text");
      }
      if (instructions != null) {
        r.put("instructions", instructions);
      }
      if (!metadata.isEmpty()) {
        ObjectNode m = r.putObject("metadata");
        metadata.forEach(m::put);
      }
      if (inputSet) {
        ArrayNode in = r.putArray("input");
        input.forEach(in::add);
      }
      return new OutOfBandResponse(r);
    }
  }
}
