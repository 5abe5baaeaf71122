package dev.genaiprocessors.testkit.gemini;

import java.util.Locale;
import java.util.Objects;

/**
 * The generation of Gemini Live model the {@link GeminiLiveEmulator} plays, where the real server's rules
 * differ by generation. The emulator keeps its own table, written from the protocol documentation, and does
 * not share the client's: so a client that guesses a generation wrong is caught.
 */
public enum ModelGeneration {
  /**
   * The 2.5 generation ({@code gemini-live-2.5-flash-preview}, {@code gemini-2.5-flash-native-audio-*}):
   * {@code clientContent} is accepted at any time, and so are the deprecated {@code mediaChunks}.
   */
  CLASSIC,
  /**
   * The 3.1 generation ({@code gemini-3.1-flash-live-preview} and later): a {@code clientContent} after the
   * initial history closes the connection with {@code 1007}, so do the deprecated {@code mediaChunks}; a
   * setup asking for affective dialog or proactivity is never answered.
   */
  GEMINI_3_1;

  /**
   * The generation of a model by its name, with or without the {@code models/} prefix: {@link #GEMINI_3_1}
   * for {@code gemini-3...} and later, {@link #CLASSIC} otherwise.
   *
   * @param model the model name the client asked for
   * @return its generation
   */
  public static ModelGeneration of(String model) {
    String name = Objects.requireNonNull(model, "model").toLowerCase(Locale.ROOT);
    if (name.startsWith("models/")) {
      name = name.substring("models/".length());
    }
    boolean numbered =
        name.startsWith("gemini-") && name.length() > 7 && Character.isDigit(name.charAt(7));
    return numbered && name.charAt(7) >= '3' ? GEMINI_3_1 : CLASSIC;
  }
}
