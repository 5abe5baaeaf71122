package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A live provider as {@link RealtimeVoice} finds it: a service found with {@link java.util.ServiceLoader},
 * the way JDBC drivers are. A provider module lists its implementation in
 * {@code META-INF/services/dev.genaiprocessors.live.realtime.RealtimeProvider}; the implementation has a
 * public no-argument constructor, and a provider is one small class that maps a {@link RealtimeConfig}
 * onto its own {@link LiveProcessor} builder.
 *
 * <p>Implementations are stateless and thread-safe; {@link #create} never connects (the returned
 * processor connects when subscribed).
 */
public interface RealtimeProvider {

  /**
   * The provider's name: {@code gemini}, {@code openai}, {@code local}, or another lower-case name.
   *
   * @return the name {@link RealtimeVoice.Builder#provider(String)} selects it by
   */
  String name();

  /**
   * The environment variables that configure this provider, any one of which is enough (such as
   * {@code GEMINI_API_KEY}, {@code GOOGLE_API_KEY}); empty for a provider that needs none.
   *
   * @return the variable names, in the order they are read
   */
  List<String> environmentVariables();

  /**
   * Whether the provider can be used with this environment: by default, whether one of
   * {@link #environmentVariables()} is set and not blank (a provider with no variables is always
   * configured).
   *
   * @param env the environment, such as {@code System.getenv()}
   * @return true when {@link #create} can work with it
   */
  default boolean isConfigured(Map<String, String> env) {
    List<String> names = environmentVariables();
    if (names.isEmpty()) {
      return true;
    }
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The voices the provider offers, for {@link RealtimeConfig.Builder#voice}.
   *
   * @return the voice names; empty when the provider does not say
   */
  List<String> voices();

  /**
   * The settings of {@link RealtimeConfig} the provider cannot honour whatever their value.
   *
   * @return the settings; empty when it honours them all
   */
  Set<RealtimeConfig.Setting> unsupportedSettings();

  /**
   * What of this config the provider cannot honour, one sentence each: by default every setting the
   * config {@linkplain RealtimeConfig#settings() sets} that is in {@link #unsupportedSettings()}, and a
   * voice not among {@link #voices()} (when the provider names its voices). Providers add further value
   * checks. {@link RealtimeVoice} reports these when the
   * session connects, as {@link RealtimeConfig} documents.
   *
   * @param config the config
   * @return the problems, empty when the provider honours the whole config
   */
  default List<String> unsupported(RealtimeConfig config) {
    List<String> problems = new ArrayList<>();
    for (RealtimeConfig.Setting setting : config.settings()) {
      if (unsupportedSettings().contains(setting)) {
        problems.add("provider '" + name() + "' cannot honour the setting " + setting.label());
      }
    }
    String voice = config.voice();
    List<String> voices = voices();
    if (voice != null && !voices.isEmpty() && !voices.contains(voice)) {
      problems.add(
          "provider '" + name() + "' has no voice '" + voice + "' (voices: " + voices + ")");
    }
    return problems;
  }

  /**
   * The provider's live processor for this config: audio parts in at
   * {@link RealtimeConfig#inputSampleRate()} (or any rate), model audio out at
   * {@link RealtimeConfig#outputSampleRate()}, the rest as {@link LiveProcessor} documents. Builds, never
   * connects; settings it cannot honour are left out (the caller reports them, see {@link #unsupported}).
   *
   * @param config the config
   * @param env the environment to read keys from
   * @return a live processor; each subscription is one conversation
   * @throws IllegalStateException when the provider is not configured in {@code env}; the message names
   *     the variable to set
   */
  LiveProcessor create(RealtimeConfig config, Map<String, String> env);

  /**
   * Whether the processor's output announces that its setup is complete (with a part
   * {@link #isSetupComplete} recognises); false for a provider that is ready as soon as it is subscribed.
   *
   * @return whether {@link RealtimeVoice#connect()} waits for such a part
   */
  default boolean announcesSetup() {
    return false;
  }

  /**
   * Whether this output part says the provider's setup is complete (only asked when
   * {@link #announcesSetup()}).
   *
   * @param part a part of the processor's output
   * @return true for the part that ends the setup
   */
  default boolean isSetupComplete(Part part) {
    return false;
  }
}
