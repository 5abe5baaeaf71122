package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.PartJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request for an out-of-band response: an answer produced beside the conversation, which adds nothing to
 * the conversation and never mixes with its answer. Send it into a {@link LiveProcessor} as a part
 * ({@link #toPart()}); every part of its answer carries {@link #OUT_OF_BAND} (the request's
 * {@linkplain #id() id}) and {@link #REQUEST_METADATA} (the {@linkplain Builder#metadata metadata} given here),
 * so that a pipeline can tell it apart. Background agents build on this.
 *
 * <pre>{@code
 * Part classify = OutOfBandRequest.builder()
 *     .instructions("Classify the user's intent in one word.")
 *     .metadata("purpose", "classify")
 *     .textOnly()
 *     .build()
 *     .toPart();
 * }</pre>
 *
 * <p><b>Context.</b> By default the response sees the whole conversation so far; with {@link
 * Builder#input(Part) input} it sees only that input (and {@link Builder#emptyInput()} gives it nothing but
 * the instructions). {@link Builder#itemReference(String) Item references} name earlier conversation items by
 * a provider's item id; a provider without conversation items refuses them (see the provider's Javadoc).
 *
 * <p><b>Per provider.</b> OpenAI Realtime sends a {@code response.create} with {@code conversation: "none"}.
 * Providers with no out-of-band response answer it as each documents (Gemini Live: a turn-based call beside
 * the session). Immutable and thread-safe.
 */
public final class OutOfBandRequest {

  /** The type name of the JSON part {@link #toPart()} makes. */
  public static final String PART_TYPE = "live.out_of_band_request";

  /**
   * Metadata key on every output part of an out-of-band answer: the {@linkplain #id() id} (a string) of the
   * request it answers.
   */
  public static final String OUT_OF_BAND = "out_of_band";

  /**
   * Metadata key on every output part of an out-of-band answer: the request's metadata, a {@code Map<String,
   * String>}.
   */
  public static final String REQUEST_METADATA = "out_of_band_metadata";

  /**
   * Metadata key on the generation-complete part of an out-of-band answer that failed: what went wrong (a
   * string). The failure ends only that answer (an end-of-turn part marked with the request follows), never
   * the conversation.
   */
  public static final String ERROR = "out_of_band_error";

  /**
   * Most metadata entries a request takes: OpenAI's limit of 16, less the entry OpenAI Realtime adds to route
   * the answer back to its request; applied to every provider, so that a request runs on each.
   */
  public static final int MAX_METADATA = 15;

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final String id;
  private final @Nullable String instructions;
  private final Map<String, String> metadata;
  private final @Nullable List<Part> input;
  private final List<String> itemReferences;
  private final boolean textOnly;

  private OutOfBandRequest(
      String id,
      @Nullable String instructions,
      Map<String, String> metadata,
      @Nullable List<Part> input,
      List<String> itemReferences,
      boolean textOnly) {
    this.id = id;
    this.instructions = instructions;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.input = input == null ? null : List.copyOf(input);
    this.itemReferences = List.copyOf(itemReferences);
    this.textOnly = textOnly;
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
   * The request's id, echoed as {@link #OUT_OF_BAND} on its answer's parts.
   *
   * @return the id given to the builder, or a random one
   */
  public String id() {
    return id;
  }

  /**
   * The instructions for this response only.
   *
   * @return the instructions, if any
   */
  public Optional<String> instructions() {
    return Optional.ofNullable(instructions);
  }

  /**
   * The metadata echoed on the answer's parts.
   *
   * @return an unmodifiable map, in insertion order
   */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * The input the response sees instead of the conversation.
   *
   * @return the input parts (empty for {@link Builder#emptyInput()}), or empty when the response sees the
   *     whole conversation
   */
  public Optional<List<Part>> input() {
    return Optional.ofNullable(input);
  }

  /**
   * Earlier conversation items, by the provider's item id, that the response sees.
   *
   * @return the ids, in the order added
   */
  public List<String> itemReferences() {
    return itemReferences;
  }

  /**
   * Whether the answer is text even when the session speaks.
   *
   * @return true for a text-only answer
   */
  public boolean textOnly() {
    return textOnly;
  }

  /**
   * The request as a part for a live provider's input. The part survives {@link PartJson} round trips.
   *
   * @return a JSON part of type {@link #PART_TYPE}
   */
  public Part toPart() {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("id", id);
    if (instructions != null) {
      r.put("instructions", instructions);
    }
    ObjectNode m = r.putObject("metadata");
    metadata.forEach(m::put);
    if (input != null) {
      ArrayNode in = r.putArray("input");
      input.forEach(p -> in.add(PartJson.toJsonNode(p)));
    }
    ArrayNode refs = r.putArray("item_references");
    itemReferences.forEach(refs::add);
    r.put("text_only", textOnly);
    return Part.json(r, PART_TYPE);
  }

  /**
   * The request a part carries.
   *
   * @param part any part
   * @return the request, or empty when the part is not an out-of-band request
   * @throws IllegalArgumentException when the part is of {@link #PART_TYPE} but malformed, naming what is
   *     wrong
   */
  public static Optional<OutOfBandRequest> of(Part part) {
    if (!(part.content() instanceof PartContent.Json j) || !PART_TYPE.equals(j.typeName())) {
      return Optional.empty();
    }
    JsonNode r = j.value();
    if (!r.isObject() || !r.path("id").isString() || r.path("id").asString().isEmpty()) {
      throw new IllegalArgumentException(
          "An out-of-band request part must be an object with a non-empty string \"id\"; build it with"
              + " OutOfBandRequest.builder()...build().toPart()");
    }
    Builder b = builder().id(r.path("id").asString());
    JsonNode instr = r.path("instructions");
    if (instr.isString()) {
      b.instructions(instr.asString());
    }
    JsonNode m = r.path("metadata");
    if (m.isObject()) {
      for (Map.Entry<String, JsonNode> e : m.properties()) {
        if (!e.getValue().isString()) {
          throw new IllegalArgumentException(
              "Out-of-band request metadata values must be strings; \"" + e.getKey() + "\" is not");
        }
        b.metadata(e.getKey(), e.getValue().asString());
      }
    }
    JsonNode in = r.path("input");
    if (in.isArray()) {
      b.emptyInput();
      for (JsonNode p : in) {
        b.input(PartJson.fromJsonNode(p));
      }
    }
    for (JsonNode ref : r.path("item_references")) {
      b.itemReference(ref.asString());
    }
    if (r.path("text_only").asBoolean(false)) {
      b.textOnly();
    }
    return Optional.of(b.build());
  }

  /**
   * Marks an output part as belonging to this request's answer.
   *
   * @param part a part of the answer
   * @return the part with {@link #OUT_OF_BAND} and {@link #REQUEST_METADATA} set
   */
  public Part mark(Part part) {
    return part.withMetadata(OUT_OF_BAND, id).withMetadata(REQUEST_METADATA, metadata);
  }

  /**
   * Whether a part belongs to an out-of-band answer.
   *
   * @param part any part
   * @return true when it carries {@link #OUT_OF_BAND}
   */
  public static boolean isOutOfBand(Part part) {
    return part.metadata(OUT_OF_BAND) != null;
  }

  @Override
  public String toString() {
    return "OutOfBandRequest{id="
        + id
        + ", metadata="
        + metadata.keySet()
        + ", input="
        + (input == null ? "conversation" : input.size() + " parts")
        + ", itemReferences="
        + itemReferences.size()
        + ", textOnly="
        + textOnly
        + "}";
  }

  /** Builds an {@link OutOfBandRequest}; not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String instructions;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private @Nullable List<Part> input;
    private final List<String> itemReferences = new ArrayList<>();
    private boolean textOnly;

    private Builder() {}

    /**
     * The request's id; default a random UUID.
     *
     * @param id a non-empty id
     * @return this builder
     */
    public Builder id(String id) {
      if (Objects.requireNonNull(id, "id").isEmpty()) {
        throw new IllegalArgumentException("An out-of-band request id must not be empty");
      }
      this.id = id;
      return this;
    }

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
     * A metadata entry, echoed on the answer's parts.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException past {@value #MAX_METADATA} entries
     */
    public Builder metadata(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (!metadata.containsKey(key) && metadata.size() >= MAX_METADATA) {
        throw new IllegalArgumentException(
            "An out-of-band request takes at most " + MAX_METADATA + " metadata entries");
      }
      metadata.put(key, value);
      return this;
    }

    /**
     * Input of the response instead of the conversation: a part (text or image, as the provider takes).
     *
     * @param part the part
     * @return this builder
     */
    public Builder input(Part part) {
      Objects.requireNonNull(part, "part");
      if (input == null) {
        input = new ArrayList<>();
      }
      input.add(part);
      return this;
    }

    /**
     * Input of the response: an earlier conversation item, by the provider's item id.
     *
     * @param itemId the item's id
     * @return this builder
     */
    public Builder itemReference(String itemId) {
      itemReferences.add(Objects.requireNonNull(itemId, "itemId"));
      if (input == null) {
        input = new ArrayList<>();
      }
      return this;
    }

    /**
     * An empty context: the response sees nothing but its instructions.
     *
     * @return this builder
     */
    public Builder emptyInput() {
      input = new ArrayList<>();
      itemReferences.clear();
      return this;
    }

    /**
     * Answer in text even when the session speaks.
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
    public OutOfBandRequest build() {
      String i = id != null ? id : java.util.UUID.randomUUID().toString();
      return new OutOfBandRequest(i, instructions, metadata, input, itemReferences, textOnly);
    }
  }
}
