package dev.genaiprocessors.gemini.live;

import java.util.Locale;
import java.util.Objects;

/**
 * What a generation of Gemini Live models accepts on the wire, where generations differ.
 *
 * <p>{@link GeminiLiveProcessor} picks the profile from the model name unless told
 * ({@link #forModel(String)}), and sends text the way the profile allows. The
 * {@code GeminiLiveEmulator} (processors-testkit) enforces the same restrictions,
 * with the close codes the real server uses.
 */
public enum ModelProfile {
  /**
   * The 2.5 generation ({@code gemini-live-2.5-flash-preview}, {@code gemini-2.5-flash-native-audio-*}):
   * {@code clientContent} at any time, so text goes as a {@code clientContent} turn.
   */
  CLASSIC,
  /**
   * The 3.1 generation ({@code gemini-3.1-flash-live-preview} and later): a mid-session
   * {@code clientContent} is rejected with close {@code 1007}, so text goes as {@code realtimeInput.text};
   * the deprecated {@code mediaChunks} are rejected too; a setup asking for affective dialog or
   * proactivity is never answered.
   */
  GEMINI_3_1;

  /**
   * True when {@code clientContent} may be sent after the setup.
   *
   * @return true for {@link #CLASSIC}
   */
  public boolean acceptsClientContent() {
    return this == CLASSIC;
  }

  /**
   * True when the deprecated {@code realtimeInput.mediaChunks} is accepted.
   *
   * @return true for {@link #CLASSIC}
   */
  public boolean acceptsMediaChunks() {
    return this == CLASSIC;
  }

  /**
   * The profile of a model by its name, with or without the {@code models/} prefix: {@link #GEMINI_3_1}
   * for names starting {@code gemini-3} or later generations, {@link #CLASSIC} otherwise.
   *
   * @param model the model's name, {@code models/} prefix optional
   * @return the profile for that model
   */
  public static ModelProfile forModel(String model) {
    Objects.requireNonNull(model, "model");
    String name = model.toLowerCase(Locale.ROOT);
    if (name.startsWith("models/")) {
      name = name.substring("models/".length());
    }
    if (name.startsWith("gemini-") && name.length() > 7 && Character.isDigit(name.charAt(7))) {
      return name.charAt(7) >= '3' ? GEMINI_3_1 : CLASSIC;
    }
    return CLASSIC;
  }
}
