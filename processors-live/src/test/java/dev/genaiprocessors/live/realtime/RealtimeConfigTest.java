package dev.genaiprocessors.live.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.live.realtime.RealtimeConfig.Setting;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class RealtimeConfigTest {

  @Test
  void onlyWhatIsSetIsListed() {
    assertThat(RealtimeConfig.defaults().settings()).isEmpty();
    RealtimeConfig config =
        RealtimeConfig.builder()
            .temperature(0.3)
            .vadMode(RealtimeConfig.VadMode.MANUAL)
            .silenceDuration(Duration.ofMillis(500))
            .function("f", "does f", JsonNodeFactory.instance.objectNode().put("type", "object"))
            .build();
    assertThat(config.settings())
        .containsExactly(
            Setting.MANUAL_VAD, Setting.SILENCE_DURATION, Setting.TEMPERATURE, Setting.TOOLS);
    assertThat(config.declarations())
        .singleElement()
        .matches(d -> d.get("name").asString().equals("f"));
    assertThat(config.toBuilder().build().settings()).isEqualTo(config.settings());
  }

  @Test
  void badValuesAreRefusedAtOnceWithTheirName() {
    assertThatThrownBy(() -> RealtimeConfig.builder().temperature(3))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> RealtimeConfig.builder().vadThreshold(0))
        .hasMessageContaining("vadThreshold");
    assertThatThrownBy(() -> RealtimeConfig.builder().inputSampleRate(100))
        .hasMessageContaining("inputSampleRate");
    assertThatThrownBy(() -> RealtimeConfig.builder().toolsFrom(new Object()))
        .hasMessageContaining("@ToolFunction");
  }

  @Test
  void aProviderReportsTheSetSettingsItCannotHonour() {
    RealtimeProvider provider = new TestProvider(java.util.Set.of(Setting.TEMPERATURE));
    assertThat(provider.unsupported(RealtimeConfig.defaults())).isEmpty();
    assertThat(provider.unsupported(RealtimeConfig.builder().temperature(0.5).build()))
        .containsExactly("provider 'test' cannot honour the setting temperature");
  }

  @Test
  void aProviderThatNamesItsVoicesReportsAVoiceItDoesNotHave() {
    RealtimeProvider named =
        new TestProvider(java.util.Set.of(), java.util.List.of("alloy", "cedar"));
    assertThat(named.unsupported(RealtimeConfig.builder().voice("cedar").build())).isEmpty();
    assertThat(named.unsupported(RealtimeConfig.builder().voice("Puck").build()))
        .containsExactly("provider 'test' has no voice 'Puck' (voices: [alloy, cedar])");
    assertThat(
            new TestProvider(java.util.Set.of())
                .unsupported(RealtimeConfig.builder().voice("Puck").build()))
        .as("a provider that does not say its voices takes any")
        .isEmpty();
  }

  record TestProvider(java.util.Set<Setting> unsupportedSettings, java.util.List<String> voices)
      implements RealtimeProvider {
    TestProvider(java.util.Set<Setting> unsupportedSettings) {
      this(unsupportedSettings, java.util.List.of());
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public java.util.List<String> environmentVariables() {
      return java.util.List.of("TEST_KEY");
    }

    @Override
    public dev.genaiprocessors.live.LiveProcessor create(
        RealtimeConfig config, java.util.Map<String, String> env) {
      throw new UnsupportedOperationException("not connected in this test");
    }
  }
}
