package dev.genaiprocessors.examples.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.genaiprocessors.core.error.ModelAuthenticationException;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which provider {@link RealtimeVoice} picks, from faked environments (nothing connects). */
class RealtimeVoiceSelectionTest {

  @Test
  void everyProviderModuleOnTheClasspathIsFoundInSelectionOrder() {
    assertThat(RealtimeVoice.availableProviders()).containsSubsequence("gemini", "local");
  }

  @Test
  void withNoKeyTheLocalProviderIsPicked() {
    assertThat(RealtimeVoice.builder().environment(Map.of()).build().provider()).isEqualTo("local");
    assertThat(RealtimeVoice.configuredProviders(Map.of())).containsExactly("local");
  }

  @Test
  void aGeminiKeyPicksGeminiOverLocal() {
    for (String variable : new String[] {"GEMINI_API_KEY", "GOOGLE_API_KEY"}) {
      Map<String, String> env = Map.of(variable, "k");
      assertThat(RealtimeVoice.builder().environment(env).build().provider()).isEqualTo("gemini");
      assertThat(RealtimeVoice.configuredProviders(env)).containsExactly("gemini", "local");
    }
    assertThat(RealtimeVoice.configuredProviders(Map.of("GEMINI_API_KEY", " ")))
        .as("a blank key configures nothing")
        .containsExactly("local");
  }

  @Test
  void anOpenAiKeyPicksOpenAiFirstWhenItsProviderIsThere() {
    assumeThat(RealtimeVoice.availableProviders()).contains("openai");
    Map<String, String> env = Map.of("OPENAI_API_KEY", "k", "GEMINI_API_KEY", "k");
    assertThat(RealtimeVoice.builder().environment(env).build().provider()).isEqualTo("openai");
  }

  @Test
  void aNamedProviderOverridesTheOrder() {
    Map<String, String> env = Map.of("GEMINI_API_KEY", "k");
    assertThat(RealtimeVoice.builder().environment(env).provider("local").build().provider())
        .isEqualTo("local");
  }

  @Test
  void aNamedProviderThatIsNotConfiguredSaysWhichVariableToSet() {
    assertThatThrownBy(
            () -> RealtimeVoice.builder().environment(Map.of()).provider("gemini").build())
        .isInstanceOf(ModelAuthenticationException.class)
        .hasMessageContaining("GEMINI_API_KEY")
        .hasMessageContaining("GOOGLE_API_KEY");
  }

  @Test
  void anUnknownNameListsTheAvailableProviders() {
    assertThatThrownBy(() -> RealtimeVoice.builder().environment(Map.of()).provider("acme").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'acme'")
        .hasMessageContaining("gemini")
        .hasMessageContaining("local");
  }
}
