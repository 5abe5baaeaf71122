package dev.genaiprocessors.core;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * MIME type constants and predicates for part content.
 *
 * <p>All predicates ignore case and parameters ({@code audio/pcm;rate=16000} is audio). Parameters
 * are read with {@link #parameter(String, String)}; the sample rate of streaming audio with
 * {@link #sampleRate(String)}, which accepts the spellings providers use
 * ({@code audio/pcm;rate=16000}, {@code audio/l16; rate= 24000}).
 */
public final class MimeTypes {

  /** Plain text, the MIME type of {@link Part#text(String)}. */
  public static final String TEXT_PLAIN = "text/plain";

  /** The MIME type of parts that report an exception as text (see {@link Processor#errorsAsStatus()}). */
  public static final String TEXT_EXCEPTION = "text/x-exception";

  /** JSON without a type name. */
  public static final String APPLICATION_JSON = "application/json";

  /** 16-bit little-endian PCM; the working audio format, always with a {@code rate} parameter. */
  public static final String AUDIO_PCM = "audio/pcm";

  /** 16-bit big-endian linear PCM as named by RFC 3551, also used by providers for little-endian PCM. */
  public static final String AUDIO_L16 = "audio/l16";

  /** A WAV file. */
  public static final String AUDIO_WAV = "audio/wav";

  /**
   * The MIME type reported by {@link Part#mimeType()} for function calls made here: the original
   * library's, so that the JSON form of a part is the same in both.
   */
  public static final String FUNCTION_CALL =
      "application/x-protobuf; type=google.ai.generativelanguage.v1main.FunctionCall";

  /** The MIME type reported by {@link Part#mimeType()} for function responses made here: the original library's. */
  public static final String FUNCTION_RESPONSE =
      "application/x-protobuf; type=google.ai.generativelanguage.v1main.FunctionResponse";

  private MimeTypes() {}

  /**
   * The type and subtype, lower-cased, without parameters: {@code audio/pcm} for {@code Audio/PCM;
   * rate=16000}.
   *
   * @param mimeType a MIME type, with or without parameters
   * @return the lower-cased {@code type/subtype}
   */
  public static String essence(String mimeType) {
    int semi = mimeType.indexOf(';');
    String base = semi < 0 ? mimeType : mimeType.substring(0, semi);
    return base.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * True for {@code text/*}.
   *
   * @param mimeType a MIME type, with or without parameters
   * @return whether it is a text type
   */
  public static boolean isText(String mimeType) {
    return essence(mimeType).startsWith("text/");
  }

  /**
   * True for {@code application/json} and {@code application/*+json}, with or without parameters.
   *
   * @param mimeType a MIME type, with or without parameters
   * @return whether it is a JSON type
   */
  public static boolean isJson(String mimeType) {
    String e = essence(mimeType);
    return e.equals(APPLICATION_JSON) || (e.startsWith("application/") && e.endsWith("+json"));
  }

  /**
   * True for {@code audio/*}.
   *
   * @param mimeType a MIME type, with or without parameters
   * @return whether it is an audio type
   */
  public static boolean isAudio(String mimeType) {
    return essence(mimeType).startsWith("audio/");
  }

  /**
   * True for raw PCM audio that can be streamed in pieces: {@code audio/pcm} and {@code audio/l16}.
   *
   * @param mimeType a MIME type, with or without parameters
   * @return whether it is streamable raw PCM
   */
  public static boolean isStreamingAudio(String mimeType) {
    String e = essence(mimeType);
    return e.equals(AUDIO_PCM) || e.equals(AUDIO_L16);
  }

  /**
   * True for WAV files ({@code audio/wav}, {@code audio/x-wav}, {@code audio/wave}).
   *
   * @param mimeType a MIME type, with or without parameters
   * @return whether it is a WAV type
   */
  public static boolean isWav(String mimeType) {
    String e = essence(mimeType);
    return e.equals(AUDIO_WAV) || e.equals("audio/x-wav") || e.equals("audio/wave");
  }

  /**
   * True for {@code image/*}.
   *
   * @param mimeType a MIME type, with or without parameters
   * @return whether it is an image type
   */
  public static boolean isImage(String mimeType) {
    return essence(mimeType).startsWith("image/");
  }

  /**
   * True for {@code video/*}.
   *
   * @param mimeType a MIME type, with or without parameters
   * @return whether it is a video type
   */
  public static boolean isVideo(String mimeType) {
    return essence(mimeType).startsWith("video/");
  }

  /**
   * True for {@link #TEXT_EXCEPTION}.
   *
   * @param mimeType a MIME type, with or without parameters
   * @return whether it is the exception text type
   */
  public static boolean isException(String mimeType) {
    return essence(mimeType).equals(TEXT_EXCEPTION);
  }

  /**
   * The value of a MIME type parameter, with spaces around {@code ;} and {@code =} ignored and the name
   * matched without case; quotes around the value are removed.
   *
   * @param mimeType a MIME type, with or without parameters
   * @param name the parameter's name, matched ignoring case
   * @return the value, or empty when the parameter is absent
   */
  public static Optional<String> parameter(String mimeType, String name) {
    String[] pieces = mimeType.split(";");
    for (int i = 1; i < pieces.length; i++) {
      String piece = pieces[i];
      int eq = piece.indexOf('=');
      if (eq < 0) {
        continue;
      }
      if (piece.substring(0, eq).trim().equalsIgnoreCase(name)) {
        String value = piece.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /**
   * The sample rate in Hz from the {@code rate} parameter ({@code audio/pcm;rate=16000},
   * {@code audio/l16; rate= 24000}).
   *
   * @param mimeType an audio MIME type, with or without parameters
   * @return the rate, or empty when the parameter is absent
   * @throws IllegalArgumentException when the parameter is present but not a positive whole number
   */
  public static OptionalInt sampleRate(String mimeType) {
    Optional<String> rate = parameter(mimeType, "rate");
    if (rate.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      int value = Integer.parseInt(rate.get());
      if (value <= 0) {
        throw new NumberFormatException();
      }
      return OptionalInt.of(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "MIME type '"
              + mimeType
              + "' has rate='"
              + rate.get()
              + "'; expected a positive whole number of Hz");
    }
  }

  /**
   * The {@code type} parameter of a JSON MIME type ({@code application/json; type=StartOfSpeech}), or empty.
   *
   * @param mimeType a JSON MIME type
   * @return the type name, or empty when there is none
   */
  public static Optional<String> typeName(String mimeType) {
    return parameter(mimeType, "type");
  }

  /**
   * {@code audio/pcm;rate=<sampleRate>}.
   *
   * @param sampleRate the sample rate in Hz, greater than 0
   * @return the MIME type of 16-bit PCM at that rate
   */
  public static String pcm(int sampleRate) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive, was " + sampleRate);
    }
    return AUDIO_PCM + ";rate=" + sampleRate;
  }

  /**
   * {@code application/json; type=<typeName>}, as the original library names typed JSON data.
   *
   * @param typeName the JSON type's name, not blank and without {@code ;}
   * @return the MIME type of JSON data of that type
   */
  public static String json(String typeName) {
    return APPLICATION_JSON + "; type=" + typeName;
  }
}
