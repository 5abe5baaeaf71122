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
    permits PartContent.Text, PartContent.Bytes, PartContent.FunctionCall,
        PartContent.FunctionResponse, PartContent.Json {

  /** Text. */
  record Text(String text) implements PartContent {
    /** @throws NullPointerException when text is null */
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
            "bytes need a MIME type such as 'audio/pcm;rate=16000' or 'image/jpeg', was '" + mimeType + "'");
      }
      this.mimeType = mimeType;
    }

    /** The MIME type of the bytes. */
    public String mimeType() {
      return mimeType;
    }

    /** The number of bytes. */
    public int size() {
      return data.length;
    }

    /** A read-only view of the bytes, positioned at 0, in big-endian order (set the order you read in). */
    public ByteBuffer byteBuffer() {
      return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** A new copy of the bytes. */
    public byte[] copyBytes() {
      return data.clone();
    }

    /** The byte at {@code index}. */
    public byte get(int index) {
      return data[index];
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Bytes other && mimeType.equals(other.mimeType) && Arrays.equals(data, other.data);
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
    /** @throws IllegalArgumentException when name is blank or args is not a JSON object */
    public FunctionCall {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(args, "args");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a function call needs a name");
      }
      if (!args.isObject()) {
        throw new IllegalArgumentException(
            "function call '" + name + "' arguments must be a JSON object, was " + args.getNodeType());
      }
      args = args.deepCopy();
    }

    /** A copy of the arguments. */
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
   * @param response the response, a JSON object (by convention {@code {"result": ...}} or {@code {"error": ...}})
   * @param scheduling when the model should take it, or null for the provider's default
   * @param willContinue true when more responses to the same call will follow (streaming tools)
   * @param isError true when the function failed and {@code response} describes the failure
   */
  record FunctionResponse(
      @Nullable String id,
      String name,
      JsonNode response,
      @Nullable Scheduling scheduling,
      boolean willContinue,
      boolean isError)
      implements PartContent {
    /** @throws IllegalArgumentException when name is blank or response is not a JSON object */
    public FunctionResponse {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(response, "response");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a function response needs the function's name");
      }
      if (!response.isObject()) {
        throw new IllegalArgumentException(
            "function response '" + name + "' must be a JSON object, was " + response.getNodeType());
      }
      response = response.deepCopy();
    }

    /** A copy of the response. */
    @Override
    public JsonNode response() {
      return response.deepCopy();
    }

    /** This response with another scheduling. */
    public FunctionResponse withScheduling(@Nullable Scheduling scheduling) {
      return new FunctionResponse(id, name, response, scheduling, willContinue, isError);
    }

    /** This response with another {@code willContinue}. */
    public FunctionResponse withWillContinue(boolean willContinue) {
      return new FunctionResponse(id, name, response, scheduling, willContinue, isError);
    }
  }

  /**
   * JSON data, optionally naming its type ({@code application/json; type=StartOfSpeech}).
   *
   * @param value the JSON value
   * @param typeName the type's name, or null for untyped JSON
   */
  record Json(JsonNode value, @Nullable String typeName) implements PartContent {
    /** @throws IllegalArgumentException when the type name is blank or contains {@code ;} */
    public Json {
      Objects.requireNonNull(value, "value");
      if (typeName != null && (typeName.isBlank() || typeName.indexOf(';') >= 0)) {
        throw new IllegalArgumentException("a JSON type name must be a plain word, was '" + typeName + "'");
      }
      value = value.deepCopy();
    }

    /** A copy of the value. */
    @Override
    public JsonNode value() {
      return value.deepCopy();
    }

    /** {@code application/json; type=<typeName>}, or {@code application/json} when untyped. */
    public String mimeType() {
      return typeName == null ? MimeTypes.APPLICATION_JSON : MimeTypes.json(typeName);
    }
  }
}
