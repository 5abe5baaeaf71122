package dev.genaiprocessors.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One immutable piece of content in a stream: text, bytes with a MIME type, a function call, a
 * function response or JSON data ({@link PartContent}), plus a {@linkplain #role() role}, a
 * {@linkplain #substream() substream} and {@linkplain #metadata() metadata}.
 *
 * <pre>{@code
 * Part.text("hello").withRole("user");
 * Part.audio(pcm16le, 16000);                       // audio/pcm;rate=16000
 * Part.image(jpeg, "image/jpeg");
 * Part.endOfTurn();                                  // a control part
 * part.withMetadata("lang", "en").withSubstream("notes");
 * }</pre>
 *
 * <p><b>Control parts.</b> Signals such as end of turn, start and end of speech, interruption and
 * transcriptions are parts too; make them with the factories here and recognise them with the
 * {@code is...} methods, never by comparing strings.
 *
 * <p><b>Equality.</b> Two parts are equal when their content is equal, their roles and substreams
 * are equal ignoring case, their {@linkplain #isThought() thought} flags are equal, and their metadata
 * are equal ignoring {@link PartMetadata#CAPTURE_TIME}. JSON content compares by value, not by text.
 * The MIME type is not compared on its own (so {@code text/plain} and {@code text/markdown} with
 * the same text are equal), but for byte content it is part of the content.
 *
 * <p><b>Bytes.</b> Byte arrays given to the factories belong to the part from then on and are not
 * copied; do not change them afterwards. {@link #bytes()} returns a copy; {@link #byteBuffer()} a
 * read-only view without a copy.
 *
 * <p><b>Metadata</b> holds JSON values only (strings, booleans, numbers, null, lists, maps); integral
 * numbers are kept as {@code Long} and others as {@code Double}, so metadata survive a JSON round
 * trip ({@link PartJson}) unchanged.
 */
public final class Part {

  private static final String START_OF_SPEECH = "StartOfSpeech";
  private static final String END_OF_SPEECH = "EndOfSpeech";
  private static final JsonNode EMPTY_OBJECT = JsonNodeFactory.instance.objectNode();

  private final PartContent content;
  private final String mimeType;
  private final String role;
  private final String substream;
  private final Map<String, Object> metadata;
  private final boolean thought;

  private Part(
      PartContent content,
      String mimeType,
      String role,
      String substream,
      Map<String, Object> metadata,
      boolean thought) {
    this.content = content;
    this.mimeType = mimeType;
    this.role = role;
    this.substream = substream;
    this.metadata = metadata;
    this.thought = thought;
  }

  // ---------------------------------------------------------------- factories

  /**
   * A text part, {@code text/plain}.
   *
   * @param text the text, not null; may be empty
   * @return a new text part with no role, substream or metadata
   */
  public static Part text(String text) {
    return new Part(new PartContent.Text(text), MimeTypes.TEXT_PLAIN, "", "", Map.of(), false);
  }

  /**
   * A text part with a text MIME type such as {@code text/markdown}.
   *
   * @param text the text, not null; may be empty
   * @param mimeType a {@code text/*} MIME type, not null
   * @return a new text part with that MIME type
   * @throws IllegalArgumentException when the MIME type is not {@code text/*}
   */
  public static Part text(String text, String mimeType) {
    Objects.requireNonNull(mimeType, "mimeType");
    if (!MimeTypes.isText(mimeType)) {
      throw new IllegalArgumentException(
          "a text part needs a text/* MIME type, was '"
              + mimeType
              + "'; use Part.bytes for other content");
    }
    return new Part(new PartContent.Text(text), mimeType, "", "", Map.of(), false);
  }

  /**
   * A part from bytes and their MIME type. Text MIME types give a text part (the bytes decoded as
   * UTF-8) and JSON MIME types a JSON part that keeps the text as given, so the content is the same
   * however it was made.
   *
   * @param data the bytes, owned by the part from now on (not copied)
   * @param mimeType the MIME type of the bytes, such as {@code image/png}; not null
   * @return a byte part, or a text or JSON part for text and JSON MIME types
   * @throws IllegalArgumentException when the MIME type is missing or malformed, or the bytes are not
   *     valid UTF-8 for a text type or valid JSON for a JSON type
   */
  public static Part bytes(byte[] data, String mimeType) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(mimeType, "mimeType (bytes need one, such as 'image/png')");
    if (MimeTypes.isText(mimeType)) {
      return text(decodeUtf8(data, mimeType), mimeType);
    }
    if (MimeTypes.isJson(mimeType)) {
      return of(
          PartContent.Json.parse(
              decodeUtf8(data, mimeType), MimeTypes.typeName(mimeType).orElse(null)));
    }
    PartContent.Bytes bytes = new PartContent.Bytes(data, mimeType);
    return new Part(bytes, mimeType, "", "", Map.of(), false);
  }

  /**
   * An audio part of 16-bit little-endian mono PCM, {@code audio/pcm;rate=<sampleRate>}.
   *
   * @param pcm16le the samples, owned by the part from now on (not copied)
   * @param sampleRate the sample rate in Hz, greater than 0
   * @return a new audio part
   * @throws IllegalArgumentException when the rate is not positive or the byte count is odd (half a sample)
   */
  public static Part audio(byte[] pcm16le, int sampleRate) {
    if ((pcm16le.length & 1) != 0) {
      throw new IllegalArgumentException(
          "16-bit PCM needs an even number of bytes, got "
              + pcm16le.length
              + " (half a sample at the end)");
    }
    return bytes(pcm16le, MimeTypes.pcm(sampleRate));
  }

  /**
   * An image part.
   *
   * @param data the encoded image, owned by the part from now on (not copied)
   * @param mimeType an {@code image/*} MIME type such as {@code image/jpeg}
   * @return a new byte part of that image type
   * @throws IllegalArgumentException when the MIME type is not {@code image/*}
   */
  public static Part image(byte[] data, String mimeType) {
    if (!MimeTypes.isImage(mimeType)) {
      throw new IllegalArgumentException(
          "an image part needs an image/* MIME type, was '" + mimeType + "'");
    }
    return bytes(data, mimeType);
  }

  /**
   * A function call without an id (turn-based models give none).
   *
   * @param name the function's name, as declared to the model
   * @param args the call's arguments, a JSON object
   * @return a new function-call part with no id
   */
  public static Part functionCall(String name, JsonNode args) {
    return of(new PartContent.FunctionCall(null, name, args));
  }

  /**
   * A function call with the id the model gave it.
   *
   * @param id the id the model gave the call, or null when it gave none
   * @param name the function's name, as declared to the model
   * @param args the call's arguments, a JSON object
   * @return a new function-call part
   */
  public static Part functionCall(@Nullable String id, String name, JsonNode args) {
    return of(new PartContent.FunctionCall(id, name, args));
  }

  /**
   * A successful function response {@code {"result": result}} to the call with this id and name.
   *
   * @param id the id of the call this answers, or null when the call had none
   * @param name the name of the function that was called
   * @param result the function's result, any JSON value
   * @return a new function-response part that is not an error
   */
  public static Part functionResult(@Nullable String id, String name, JsonNode result) {
    return of(
        new PartContent.FunctionResponse(
            id,
            name,
            JsonNodeFactory.instance.objectNode().set("result", result),
            null,
            false,
            false));
  }

  /**
   * A failed function response {@code {"error": message}} to the call with this id and name.
   *
   * @param id the id of the call this answers, or null when the call had none
   * @param name the name of the function that was called
   * @param message what went wrong, shown to the model
   * @return a new function-response part marked as an error
   */
  public static Part functionError(@Nullable String id, String name, String message) {
    return of(
        new PartContent.FunctionResponse(
            id,
            name,
            JsonNodeFactory.instance.objectNode().put("error", message),
            null,
            false,
            true));
  }

  /**
   * JSON data without a type name, {@code application/json}.
   *
   * @param value the JSON value, not null
   * @return a new JSON part
   */
  public static Part json(JsonNode value) {
    return json(value, null);
  }

  /**
   * JSON data with a type name, {@code application/json; type=<typeName>}.
   *
   * @param value the JSON value, not null
   * @param typeName the type name written in the MIME type, or null for none
   * @return a new JSON part
   */
  public static Part json(JsonNode value, @Nullable String typeName) {
    return of(new PartContent.Json(value, typeName));
  }

  /**
   * A part holding this content, with the content's natural MIME type, no role, substream or metadata.
   *
   * @param content the content, not null
   * @return a new part holding it
   */
  public static Part of(PartContent content) {
    Objects.requireNonNull(content, "content");
    return new Part(content, naturalMimeType(content), "", "", Map.of(), false);
  }

  /**
   * An end-of-turn part: empty text, role {@code user}, {@code turn_complete=true}.
   *
   * @return a new end-of-turn part
   */
  public static Part endOfTurn() {
    return text("").withRole("user").withMetadata(PartMetadata.TURN_COMPLETE, true);
  }

  /**
   * The end of the realtime audio stream (the microphone was paused or closed): empty text on the
   * {@link Substreams#REALTIME} substream, {@code audio_stream_end=true}. A live model flushes the audio
   * it holds and answers; sending audio again reopens the stream.
   *
   * @return a new audio-stream-end part
   */
  public static Part audioStreamEnd() {
    return text("")
        .withSubstream(Substreams.REALTIME)
        .withMetadata(PartMetadata.AUDIO_STREAM_END, true);
  }

  /**
   * A status message on the reserved {@link Substreams#STATUS} substream.
   *
   * @param message the status text shown to whoever watches the stream
   * @return a new status part
   */
  public static Part status(String message) {
    return text(message).withSubstream(Substreams.STATUS);
  }

  /**
   * A debug message on the reserved {@link Substreams#DEBUG} substream.
   *
   * @param message the debug text
   * @return a new debug part
   */
  public static Part debug(String message) {
    return text(message).withSubstream(Substreams.DEBUG);
  }

  /**
   * A status part that reports an exception: {@code text/x-exception} text on the {@code status}
   * substream, with {@code original_exception} (the message) and {@code exception_type} (the simple
   * class name) in its metadata. Recognise it with {@link #isException()}.
   *
   * @param error the exception to report, not null; its message and simple class name go into the metadata
   * @return a new exception status part
   */
  public static Part exception(Throwable error) {
    Objects.requireNonNull(error, "error");
    String message = String.valueOf(error.getMessage());
    return text("An unexpected error occurred: " + error, MimeTypes.TEXT_EXCEPTION)
        .withSubstream(Substreams.STATUS)
        .withMetadata(
            Map.of(
                PartMetadata.ORIGINAL_EXCEPTION,
                message,
                PartMetadata.EXCEPTION_TYPE,
                error.getClass().getSimpleName()));
  }

  /**
   * A start-of-speech event, {@code application/json; type=StartOfSpeech}.
   *
   * @return a new start-of-speech part
   */
  public static Part startOfSpeech() {
    return json(EMPTY_OBJECT, START_OF_SPEECH);
  }

  /**
   * An end-of-speech event, {@code application/json; type=EndOfSpeech}.
   *
   * @return a new end-of-speech part
   */
  public static Part endOfSpeech() {
    return json(EMPTY_OBJECT, END_OF_SPEECH);
  }

  /**
   * An interruption: the model's output was cut off and queued output must be dropped. Role {@code model}.
   *
   * @return a new interruption part
   */
  public static Part interrupted() {
    return text("").withRole("model").withMetadata(PartMetadata.INTERRUPTED, true);
  }

  /**
   * The model has finished generating its answer (playback may go on). Role {@code model}.
   *
   * @return a new generation-complete part
   */
  public static Part generationComplete() {
    return text("").withRole("model").withMetadata(PartMetadata.GENERATION_COMPLETE, true);
  }

  /**
   * A transcription of what the user said, on {@link Substreams#INPUT_TRANSCRIPTION}, role {@code user}.
   *
   * @param text the transcribed text so far
   * @param isFinal true when the text will not change any more, false for an interim result
   * @return a new input transcription part
   */
  public static Part inputTranscription(String text, boolean isFinal) {
    return text(text)
        .withRole("user")
        .withSubstream(Substreams.INPUT_TRANSCRIPTION)
        .withMetadata(PartMetadata.IS_FINAL, isFinal);
  }

  /**
   * A transcription of what the model said, on {@link Substreams#OUTPUT_TRANSCRIPTION}, role {@code model}.
   *
   * @param text the transcribed text so far
   * @param isFinal true when the text will not change any more, false for an interim result
   * @return a new output transcription part
   */
  public static Part outputTranscription(String text, boolean isFinal) {
    return text(text)
        .withRole("model")
        .withSubstream(Substreams.OUTPUT_TRANSCRIPTION)
        .withMetadata(PartMetadata.IS_FINAL, isFinal);
  }

  // ---------------------------------------------------------------- accessors

  /**
   * The content.
   *
   * @return the content, never null
   */
  public PartContent content() {
    return content;
  }

  /**
   * The MIME type: the text's ({@code text/plain} by default), the bytes', {@code application/json...}
   * for JSON, {@link MimeTypes#FUNCTION_CALL} or {@link MimeTypes#FUNCTION_RESPONSE}.
   *
   * @return the MIME type, never null
   */
  public String mimeType() {
    return mimeType;
  }

  /**
   * The role ({@code user}, {@code model}, {@code system} ...), or empty.
   *
   * @return the role, or the empty string when none is set; never null
   */
  public String role() {
    return role;
  }

  /**
   * The substream, empty for the default one.
   *
   * @return the substream name, or the empty string for the default substream
   */
  public String substream() {
    return substream;
  }

  /**
   * The metadata, immutable, with keys in sorted order.
   *
   * @return an unmodifiable map from key to JSON value, possibly empty
   */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /**
   * The metadata value for a key, or null when it is absent or JSON {@code null} (tell them apart with
   * {@code metadata().containsKey}).
   *
   * @param key the metadata key
   * @return the value, or null when absent or JSON {@code null}
   */
  public @Nullable Object metadata(String key) {
    return metadata.get(key);
  }

  /**
   * True when the metadata value for the key is {@code Boolean.TRUE}.
   *
   * @param key the metadata key
   * @return true only when the value is {@code Boolean.TRUE}
   */
  public boolean hasFlag(String key) {
    return Boolean.TRUE.equals(metadata.get(key));
  }

  /**
   * True for a model's reasoning rather than its answer (the {@code thought} flag of the original
   * library and of Gemini). False by default.
   *
   * @return whether this part is reasoning
   */
  public boolean isThought() {
    return thought;
  }

  /**
   * True for text content.
   *
   * @return whether the content is {@link PartContent.Text}
   */
  public boolean isText() {
    return content instanceof PartContent.Text;
  }

  /**
   * True for byte content (audio, image, video, any blob).
   *
   * @return whether the content is {@link PartContent.Bytes}
   */
  public boolean isBytes() {
    return content instanceof PartContent.Bytes;
  }

  /**
   * True for byte content of an {@code audio/*} type.
   *
   * @return whether this is an audio byte part
   */
  public boolean isAudio() {
    return content instanceof PartContent.Bytes && MimeTypes.isAudio(mimeType);
  }

  /**
   * True for byte content of an {@code image/*} type.
   *
   * @return whether this is an image byte part
   */
  public boolean isImage() {
    return content instanceof PartContent.Bytes && MimeTypes.isImage(mimeType);
  }

  /**
   * True for byte content of a {@code video/*} type.
   *
   * @return whether this is a video byte part
   */
  public boolean isVideo() {
    return content instanceof PartContent.Bytes && MimeTypes.isVideo(mimeType);
  }

  /**
   * True for JSON content.
   *
   * @return whether the content is {@link PartContent.Json}
   */
  public boolean isJson() {
    return content instanceof PartContent.Json;
  }

  /**
   * True for a function call.
   *
   * @return whether the content is {@link PartContent.FunctionCall}
   */
  public boolean isFunctionCall() {
    return content instanceof PartContent.FunctionCall;
  }

  /**
   * True for a function response.
   *
   * @return whether the content is {@link PartContent.FunctionResponse}
   */
  public boolean isFunctionResponse() {
    return content instanceof PartContent.FunctionResponse;
  }

  /**
   * The text of a text part, or the JSON text of a JSON part (see {@link PartContent.Json#text()}:
   * as given, or compact for a value given as a tree).
   *
   * @return the text, never null
   * @throws IllegalStateException for any other content, naming what the part holds
   */
  public String text() {
    if (content instanceof PartContent.Text t) {
      return t.text();
    }
    if (content instanceof PartContent.Json j) {
      return j.text();
    }
    throw new IllegalStateException(
        "part holds " + describeContent() + ", not text; check isText() first");
  }

  /**
   * A copy of the bytes of a byte part; for text, its UTF-8 encoding.
   *
   * @return a new array the caller may change
   * @throws IllegalStateException for function calls, responses and JSON
   */
  public byte[] bytes() {
    if (content instanceof PartContent.Bytes b) {
      return b.copyBytes();
    }
    if (content instanceof PartContent.Text t) {
      return t.text().getBytes(StandardCharsets.UTF_8);
    }
    throw new IllegalStateException(
        "part holds " + describeContent() + ", not bytes; check isBytes() first");
  }

  /**
   * A read-only view of the bytes of a byte part, without a copy, in big-endian order (set the order
   * you read in; PCM is little-endian).
   *
   * @return a read-only buffer over the part's bytes, positioned at 0
   * @throws IllegalStateException for any other content
   */
  public ByteBuffer byteBuffer() {
    if (content instanceof PartContent.Bytes b) {
      return b.byteBuffer();
    }
    throw new IllegalStateException(
        "part holds " + describeContent() + ", not bytes; check isBytes() first");
  }

  /**
   * The number of bytes of a byte part, 0 for other content.
   *
   * @return the number of bytes, or 0 when the part does not hold bytes
   */
  public int byteSize() {
    return content instanceof PartContent.Bytes b ? b.size() : 0;
  }

  /**
   * The function call of a function-call part.
   *
   * @return the function call, never null
   * @throws IllegalStateException for any other content
   */
  public PartContent.FunctionCall functionCall() {
    if (content instanceof PartContent.FunctionCall c) {
      return c;
    }
    throw new IllegalStateException("part holds " + describeContent() + ", not a function call");
  }

  /**
   * The function response of a function-response part.
   *
   * @return the function response, never null
   * @throws IllegalStateException for any other content
   */
  public PartContent.FunctionResponse functionResponse() {
    if (content instanceof PartContent.FunctionResponse r) {
      return r;
    }
    throw new IllegalStateException(
        "part holds " + describeContent() + ", not a function response");
  }

  /**
   * The JSON value of a JSON part (a copy).
   *
   * @return the JSON value, never null
   * @throws IllegalStateException for any other content
   */
  public JsonNode json() {
    if (content instanceof PartContent.Json j) {
      return j.value();
    }
    throw new IllegalStateException("part holds " + describeContent() + ", not JSON");
  }

  // ---------------------------------------------------------------- control parts

  /**
   * True for a part that ends a turn ({@code turn_complete=true}).
   *
   * @return whether this part ends a turn
   */
  public boolean isEndOfTurn() {
    return hasFlag(PartMetadata.TURN_COMPLETE);
  }

  /**
   * True for a start-of-speech event.
   *
   * @return whether this part is a start-of-speech event
   */
  public boolean isStartOfSpeech() {
    return content instanceof PartContent.Json j && START_OF_SPEECH.equals(j.typeName());
  }

  /**
   * True for an end-of-speech event.
   *
   * @return whether this part is an end-of-speech event
   */
  public boolean isEndOfSpeech() {
    return content instanceof PartContent.Json j && END_OF_SPEECH.equals(j.typeName());
  }

  /**
   * True for a part that reports an interruption ({@code interrupted=true}).
   *
   * @return whether this part reports an interruption
   */
  public boolean isInterrupted() {
    return hasFlag(PartMetadata.INTERRUPTED);
  }

  /**
   * True for a part that reports the end of generation ({@code generation_complete=true}).
   *
   * @return whether this part reports the end of generation
   */
  public boolean isGenerationComplete() {
    return hasFlag(PartMetadata.GENERATION_COMPLETE);
  }

  /**
   * True for a part on the input or output transcription substream.
   *
   * @return whether this part is a transcription, final or interim
   */
  public boolean isTranscription() {
    return substream.equalsIgnoreCase(Substreams.INPUT_TRANSCRIPTION)
        || substream.equalsIgnoreCase(Substreams.OUTPUT_TRANSCRIPTION);
  }

  /**
   * True for a transcription marked final ({@code is_final=true}).
   *
   * @return whether this part is a final transcription
   */
  public boolean isFinalTranscription() {
    return isTranscription() && hasFlag(PartMetadata.IS_FINAL);
  }

  /**
   * True for a part on the {@link Substreams#STATUS} substream.
   *
   * @return whether this part is a status part
   */
  public boolean isStatus() {
    return substream.equalsIgnoreCase(Substreams.STATUS);
  }

  /**
   * True for a part on the {@link Substreams#DEBUG} substream.
   *
   * @return whether this part is a debug part
   */
  public boolean isDebug() {
    return substream.equalsIgnoreCase(Substreams.DEBUG);
  }

  /**
   * True for a part that reports an exception ({@link MimeTypes#TEXT_EXCEPTION}).
   *
   * @return whether this part is an exception status part
   */
  public boolean isException() {
    return MimeTypes.isException(mimeType);
  }

  // ---------------------------------------------------------------- withers

  /**
   * This part with another role.
   *
   * @param role the new role, such as {@code user} or {@code model}; empty for none; not null
   * @return this part if the role is already that, else a copy with the new role
   */
  public Part withRole(String role) {
    Objects.requireNonNull(role, "role");
    return role.equals(this.role)
        ? this
        : new Part(content, mimeType, role, substream, metadata, thought);
  }

  /**
   * This part marked as a model's reasoning ({@code true}) or as an answer ({@code false}).
   *
   * @param thought whether the part is reasoning
   * @return a part with the flag set
   */
  public Part withThought(boolean thought) {
    return thought == this.thought
        ? this
        : new Part(content, mimeType, role, substream, metadata, thought);
  }

  /**
   * This part on another substream ({@code ""} for the default one).
   *
   * @param substream the substream name, not null
   * @return this part if the substream is already that, else a copy on the new substream
   */
  public Part withSubstream(String substream) {
    Objects.requireNonNull(substream, "substream");
    return substream.equals(this.substream)
        ? this
        : new Part(content, mimeType, role, substream, metadata, thought);
  }

  /**
   * This part with one metadata value set; {@code null} is a value (JSON {@code null}), kept as the
   * original library keeps {@code None}. To remove a key use {@link #withoutMetadata(String)}.
   *
   * @param key the metadata key, not null
   * @param value a JSON value (string, boolean, number, list, map) or null
   * @return this part if the key already holds that value, else a copy with it set
   * @throws IllegalArgumentException when the value is not a JSON value
   */
  public Part withMetadata(String key, @Nullable Object value) {
    Objects.requireNonNull(key, "key");
    Object normalized = MetadataValues.normalize(key, value);
    if (metadata.containsKey(key) && Objects.equals(normalized, metadata.get(key))) {
      return this;
    }
    Map<String, Object> copy = new HashMap<>(metadata);
    copy.put(key, normalized);
    return new Part(content, mimeType, role, substream, MetadataValues.copyOf(copy), thought);
  }

  /**
   * This part with its metadata replaced by these.
   *
   * @param metadata the new metadata, JSON values only; replaces all existing keys
   * @return a copy with the new metadata
   */
  public Part withMetadata(Map<String, ?> metadata) {
    return new Part(content, mimeType, role, substream, MetadataValues.copyOf(metadata), thought);
  }

  /**
   * This part without the metadata key.
   *
   * @param key the key to remove
   * @return this part if it has no such key, else a copy without it
   */
  public Part withoutMetadata(String key) {
    if (!metadata.containsKey(key)) {
      return this;
    }
    Map<String, Object> copy = new HashMap<>(metadata);
    copy.remove(key);
    return new Part(content, mimeType, role, substream, MetadataValues.copyOf(copy), thought);
  }

  /**
   * This text part with another text MIME type.
   *
   * @param textMimeType a {@code text/*} MIME type such as {@code text/markdown}
   * @return a copy with the new MIME type
   * @throws IllegalStateException when the part is not text; IllegalArgumentException when the type is not {@code text/*}
   */
  public Part withTextMimeType(String textMimeType) {
    if (!(content instanceof PartContent.Text)) {
      throw new IllegalStateException(
          "only text parts can change their MIME type; this part holds " + describeContent());
    }
    if (!MimeTypes.isText(textMimeType)) {
      throw new IllegalArgumentException(
          "a text part needs a text/* MIME type, was '" + textMimeType + "'");
    }
    return new Part(content, textMimeType, role, substream, metadata, thought);
  }

  /**
   * This part with other content, keeping role, substream and metadata.
   *
   * @param content the new content, not null; the MIME type becomes that content's own
   * @return a copy with the new content
   */
  public Part withContent(PartContent content) {
    return new Part(content, naturalMimeType(content), role, substream, metadata, thought);
  }

  /**
   * This function call or response part with the MIME type another writer gave it, so that it is
   * written back as it was read. Other parts keep their MIME type, which their content decides.
   */
  Part withFunctionMimeType(String writtenMimeType) {
    if (!(content instanceof PartContent.FunctionCall
            || content instanceof PartContent.FunctionResponse)
        || writtenMimeType.equals(mimeType)) {
      return this;
    }
    return new Part(content, writtenMimeType, role, substream, metadata, thought);
  }

  // ---------------------------------------------------------------- object

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Part other)) {
      return false;
    }
    return content.equals(other.content)
        && role.equalsIgnoreCase(other.role)
        && substream.equalsIgnoreCase(other.substream)
        && thought == other.thought
        && metadataEqualIgnoringCaptureTime(metadata, other.metadata);
  }

  private static boolean metadataEqualIgnoringCaptureTime(
      Map<String, Object> a, Map<String, Object> b) {
    if (!a.containsKey(PartMetadata.CAPTURE_TIME) && !b.containsKey(PartMetadata.CAPTURE_TIME)) {
      return a.equals(b);
    }
    int sizeA = a.size() - (a.containsKey(PartMetadata.CAPTURE_TIME) ? 1 : 0);
    int sizeB = b.size() - (b.containsKey(PartMetadata.CAPTURE_TIME) ? 1 : 0);
    if (sizeA != sizeB) {
      return false;
    }
    for (Map.Entry<String, Object> e : a.entrySet()) {
      if (!e.getKey().equals(PartMetadata.CAPTURE_TIME)
          && !(b.containsKey(e.getKey()) && Objects.equals(e.getValue(), b.get(e.getKey())))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = content.hashCode();
    h = 31 * h + role.toLowerCase(Locale.ROOT).hashCode();
    h = 31 * h + substream.toLowerCase(Locale.ROOT).hashCode();
    h = 31 * h + Boolean.hashCode(thought);
    for (Map.Entry<String, Object> e : metadata.entrySet()) {
      if (!e.getKey().equals(PartMetadata.CAPTURE_TIME)) {
        h += e.getKey().hashCode() ^ Objects.hashCode(e.getValue());
      }
    }
    return h;
  }

  /** A short description for logs: text is cut after 200 characters and bytes are summarised, never dumped. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Part{");
    if (content instanceof PartContent.Text t) {
      String text = t.text();
      sb.append("text=\"")
          .append(
              text.length() > 200
                  ? text.substring(0, 200) + "…(" + text.length() + " chars)"
                  : text)
          .append('"');
      if (!mimeType.equals(MimeTypes.TEXT_PLAIN)) {
        sb.append(", mimeType=").append(mimeType);
      }
    } else if (content instanceof PartContent.Bytes b) {
      sb.append("bytes=").append(b.size()).append(" B, mimeType=").append(mimeType);
    } else if (content instanceof PartContent.FunctionCall c) {
      sb.append("functionCall=").append(c.name()).append(c.args());
      if (c.id() != null) {
        sb.append(", id=").append(c.id());
      }
    } else if (content instanceof PartContent.FunctionResponse r) {
      sb.append("functionResponse=").append(r.name()).append(r.response());
      if (r.id() != null) {
        sb.append(", id=").append(r.id());
      }
      if (r.scheduling() != null) {
        sb.append(", scheduling=").append(r.scheduling());
      }
      if (r.willContinue()) {
        sb.append(", willContinue");
      }
      if (r.isError()) {
        sb.append(", error");
      }
    } else if (content instanceof PartContent.Json j) {
      String json = j.text();
      sb.append("json=")
          .append(json.length() > 200 ? json.substring(0, 200) + "…" : json)
          .append(", mimeType=")
          .append(mimeType);
    }
    if (thought) {
      sb.append(", thought");
    }
    if (!role.isEmpty()) {
      sb.append(", role=").append(role);
    }
    if (!substream.isEmpty()) {
      sb.append(", substream=").append(substream);
    }
    if (!metadata.isEmpty()) {
      sb.append(", metadata=").append(metadata);
    }
    return sb.append('}').toString();
  }

  // ---------------------------------------------------------------- internals

  private String describeContent() {
    if (content instanceof PartContent.Bytes) {
      return mimeType + " bytes";
    }
    if (content instanceof PartContent.FunctionCall) {
      return "a function call";
    }
    if (content instanceof PartContent.FunctionResponse) {
      return "a function response";
    }
    if (content instanceof PartContent.Json) {
      return "JSON";
    }
    return "text";
  }

  private static String naturalMimeType(PartContent content) {
    if (content instanceof PartContent.Text) {
      return MimeTypes.TEXT_PLAIN;
    }
    if (content instanceof PartContent.Bytes b) {
      return b.mimeType();
    }
    if (content instanceof PartContent.FunctionCall) {
      return MimeTypes.FUNCTION_CALL;
    }
    if (content instanceof PartContent.FunctionResponse) {
      return MimeTypes.FUNCTION_RESPONSE;
    }
    return ((PartContent.Json) content).mimeType();
  }

  private static String decodeUtf8(byte[] data, String mimeType) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "bytes of MIME type '"
              + mimeType
              + "' are not valid UTF-8 text; give a non-text MIME type for binary data",
          e);
    }
  }
}
