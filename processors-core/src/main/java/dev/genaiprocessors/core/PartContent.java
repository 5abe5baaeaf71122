package dev.genaiprocessors.core;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The content of a {@link Part}: exactly one of text, bytes with a MIME type, a function call, a
 * function response, or JSON data.
 *
 * <p>All implementations are immutable. JSON values are copied when a content is made and when
 * they are read, so no caller can change a part through them. Byte arrays are not copied: see
 * {@link Bytes} for who owns them.
 */
public sealed interface PartContent
    permits PartContent.Text,
        PartContent.Bytes,
        PartContent.FunctionCall,
        PartContent.FunctionResponse,
        PartContent.Json {

  /** Text. */
  record Text(String text) implements PartContent {
    /**
     * Checks the text.
     *
     * @param text the text, not null; may be empty
     * @throws NullPointerException when text is null
     */
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * Bytes with a MIME type: audio, images, video, any blob.
   *
   * <p><b>Ownership.</b> The array passed to the constructor belongs to this object from then on and
   * must not be changed by the caller; it is not copied, so a hot path pays for no copy here.
   * {@link #byteBuffer()} is a read-only view (no copy); {@link #copyBytes()} is a fresh copy.
   */
  final class Bytes implements PartContent {
    private final byte[] data;
    private final String mimeType;

    /**
     * @param data the bytes, owned by this object from now on
     * @param mimeType their MIME type, for example {@code audio/pcm;rate=16000}
     * @throws IllegalArgumentException when the MIME type is blank or has no {@code /}
     */
    public Bytes(byte[] data, String mimeType) {
      this.data = Objects.requireNonNull(data, "data");
      Objects.requireNonNull(mimeType, "mimeType");
      if (mimeType.isBlank() || MimeTypes.essence(mimeType).indexOf('/') <= 0) {
        throw new IllegalArgumentException(
            "bytes need a MIME type such as 'audio/pcm;rate=16000' or 'image/jpeg', was '"
                + mimeType
                + "'");
      }
      this.mimeType = mimeType;
    }

    /**
     * The MIME type of the bytes.
     *
     * @return the MIME type, never null
     */
    public String mimeType() {
      return mimeType;
    }

    /**
     * The number of bytes.
     *
     * @return the number of bytes, 0 or more
     */
    public int size() {
      return data.length;
    }

    /**
     * A read-only view of the bytes, positioned at 0, in big-endian order (set the order you read in).
     *
     * @return a read-only buffer over the bytes, without a copy
     */
    public ByteBuffer byteBuffer() {
      return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /**
     * A new copy of the bytes.
     *
     * @return a new array the caller may change
     */
    public byte[] copyBytes() {
      return data.clone();
    }

    /**
     * The byte at {@code index}.
     *
     * @param index the position, from 0 to {@code size() - 1}
     * @return the byte at that position
     * @throws IndexOutOfBoundsException when the index is out of range
     */
    public byte get(int index) {
      return data[index];
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Bytes other
          && mimeType.equals(other.mimeType)
          && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * mimeType.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Bytes[" + data.length + " B " + mimeType + "]";
    }
  }

  /**
   * A function call from a model.
   *
   * @param id the call's id, when the model gave one (live models do); null otherwise
   * @param name the function's name
   * @param args the arguments, a JSON object
   */
  record FunctionCall(@Nullable String id, String name, JsonNode args) implements PartContent {
    /**
     * Checks the call.
     *
     * @param id the call's id, or null when the model gave none
     * @param name the function's name, not blank
     * @param args the arguments, a JSON object
     * @throws IllegalArgumentException when name is blank or args is not a JSON object
     */
    public FunctionCall {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(args, "args");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a function call needs a name");
      }
      if (!args.isObject()) {
        throw new IllegalArgumentException(
            "function call '"
                + name
                + "' arguments must be a JSON object, was "
                + args.getNodeType());
      }
      FiniteJson.require("function call '" + name + "' arguments", args);
      args = args.deepCopy();
    }

    /**
     * A copy of the arguments.
     *
     * @return a deep copy of the arguments object
     */
    @Override
    public JsonNode args() {
      return args.deepCopy();
    }
  }

  /**
   * The response to a function call.
   *
   * @param id the id of the call answered, or null when the call had none
   * @param name the function's name
   * <p>An error is encoded as the original library encodes it: the response holds the failure under
   * {@code "error"} ({@code {"error": "no such city"}}); a successful one holds its value under
   * {@code "result"}. {@code isError} says the same and must agree with the response.
   *
   * @param response the response, a JSON object ({@code {"result": ...}} or {@code {"error": ...}})
   * @param scheduling when the model should take it, or null for the provider's default
   * @param willContinue true when more responses to the same call will follow (streaming tools)
   * @param isError true when the function failed: exactly when {@code response} has an {@code "error"} field
   */
  record FunctionResponse(
      @Nullable String id,
      String name,
      JsonNode response,
      @Nullable Scheduling scheduling,
      boolean willContinue,
      boolean isError)
      implements PartContent {
    /**
     * Checks the response.
     *
     * @param id the id of the call answered, or null when the call had none
     * @param name the function's name, not blank
     * @param response the response, a JSON object with a {@code "result"} or {@code "error"} field
     * @param scheduling when the model should take it, or null for the provider's default
     * @param willContinue true when more responses to the same call will follow
     * @param isError true when the function failed; must agree with {@code response}
     * @throws IllegalArgumentException when name is blank or response is not a JSON object
     */
    public FunctionResponse {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(response, "response");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a function response needs the function's name");
      }
      if (!response.isObject()) {
        throw new IllegalArgumentException(
            "function response '"
                + name
                + "' must be a JSON object, was "
                + response.getNodeType());
      }
      if (isError != response.has("error")) {
        throw new IllegalArgumentException(
            isError
                ? "error response '"
                    + name
                    + "' must hold the failure under \"error\", as in {\"error\": \"message\"}; "
                    + "use Part.functionError"
                : "function response '"
                    + name
                    + "' has an \"error\" field, which marks an error response; "
                    + "pass isError=true, or put a successful value under \"result\"");
      }
      FiniteJson.require("function response '" + name + "'", response);
      response = response.deepCopy();
    }

    /**
     * A copy of the response.
     *
     * @return a deep copy of the response object
     */
    @Override
    public JsonNode response() {
      return response.deepCopy();
    }

    /**
     * This response with another scheduling.
     *
     * @param scheduling when the model should take the response, or null for the provider's default
     * @return a copy with the new scheduling
     */
    public FunctionResponse withScheduling(@Nullable Scheduling scheduling) {
      return new FunctionResponse(id, name, response, scheduling, willContinue, isError);
    }

    /**
     * This response with another {@code willContinue}.
     *
     * @param willContinue true when more responses to the same call will follow
     * @return a copy with the new flag
     */
    public FunctionResponse withWillContinue(boolean willContinue) {
      return new FunctionResponse(id, name, response, scheduling, willContinue, isError);
    }
  }

  /**
   * JSON data, optionally naming its type ({@code application/json; type=StartOfSpeech}), and its
   * text.
   *
   * <p>Text given to {@link #parse} is kept as given, so a part read from JSON has the same text and
   * writes it back unchanged. A value given as a tree ({@link #Json(JsonNode, String)}) has compact
   * text ({@code {"k":1}}); {@link PartJson} writes it as the original library's {@code json.dumps}
   * does ({@code {"k": 1}}), so that both write the same JSON for the same content. Equality compares
   * the value and the type name, not the text.
   */
  final class Json implements PartContent {
    private final JsonNode value;
    private final @Nullable String typeName;

    /** The text given to {@link #parse}, or null for a value given as a tree. */
    private final @Nullable String givenText;

    /**
     * JSON data from a tree.
     *
     * @param value the JSON value, copied
     * @param typeName the type's name, or null for untyped JSON
     * @throws IllegalArgumentException when the type name is blank or contains {@code ;}
     */
    public Json(JsonNode value, @Nullable String typeName) {
      this(Objects.requireNonNull(value, "value").deepCopy(), typeName, null);
    }

    private Json(JsonNode value, @Nullable String typeName, @Nullable String text) {
      if (typeName != null && (typeName.isBlank() || typeName.indexOf(';') >= 0)) {
        throw new IllegalArgumentException(
            "a JSON type name must be a plain word, was '" + typeName + "'");
      }
      FiniteJson.require("JSON content", value);
      this.value = value;
      this.typeName = typeName;
      this.givenText = text;
    }

    /**
     * JSON data from its text, which is kept as given.
     *
     * @param text JSON text
     * @param typeName the type's name, or null for untyped JSON
     * @return the JSON data, its text kept as given
     * @throws IllegalArgumentException when the text is not JSON, or the type name is blank or contains {@code ;}
     */
    public static Json parse(String text, @Nullable String typeName) {
      Objects.requireNonNull(text, "text");
      String mimeType = typeName == null ? MimeTypes.APPLICATION_JSON : MimeTypes.json(typeName);
      return new Json(PartJson.parseJson(text, mimeType), typeName, text);
    }

    /**
     * A copy of the value.
     *
     * @return a deep copy of the value
     */
    public JsonNode value() {
      return value.deepCopy();
    }

    /**
     * The type's name, or null for untyped JSON.
     *
     * @return the type's name, or null
     */
    public @Nullable String typeName() {
      return typeName;
    }

    /**
     * The JSON text: as given to {@link #parse}, or the value written compactly.
     *
     * @return the JSON text, never null
     */
    public String text() {
      return givenText != null ? givenText : PartJson.MAPPER.writeValueAsString(value);
    }

    /** The text given to {@link #parse}, or null when the value was given as a tree. */
    @Nullable String givenText() {
      return givenText;
    }

    /**
     * {@code application/json; type=<typeName>}, or {@code application/json} when untyped.
     *
     * @return the MIME type, never null
     */
    public String mimeType() {
      return typeName == null ? MimeTypes.APPLICATION_JSON : MimeTypes.json(typeName);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Json other
          && value.equals(other.value)
          && Objects.equals(typeName, other.typeName);
    }

    @Override
    public int hashCode() {
      return 31 * value.hashCode() + Objects.hashCode(typeName);
    }

    @Override
    public String toString() {
      return "Json[" + (typeName == null ? "" : typeName + " ") + text() + "]";
    }
  }
}
