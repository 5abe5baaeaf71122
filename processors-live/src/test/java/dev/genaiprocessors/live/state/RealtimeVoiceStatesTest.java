package dev.genaiprocessors.live.state;

import static dev.genaiprocessors.live.state.ScriptedLiveProcessor.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.ConversationState;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeEvent;
import dev.genaiprocessors.live.realtime.RealtimeProvider;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The facade reports every provider's states the same way, from the contract's parts. */
class RealtimeVoiceStatesTest {

  /** A provider whose processor plays a script. */
  private static RealtimeProvider scripted(List<ScriptedLiveProcessor.Step> script) {
    return new RealtimeProvider() {
      @Override
      public String name() {
        return "scripted";
      }

      @Override
      public List<String> environmentVariables() {
        return List.of();
      }

      @Override
      public List<String> voices() {
        return List.of();
      }

      @Override
      public Set<RealtimeConfig.Setting> unsupportedSettings() {
        return Set.of();
      }

      @Override
      public LiveProcessor create(RealtimeConfig config, Map<String, String> env) {
        return new ScriptedLiveProcessor(script);
      }
    };
  }

  @Test
  void theStreamFormCarriesStateChangedEventsInTheProvidersOrder() {
    RealtimeVoice voice =
        RealtimeVoice.builder()
            .provider(
                scripted(
                    List.of(
                        at(100, Part.startOfSpeech().withRole("user")),
                        at(800, Part.endOfSpeech().withRole("user")),
                        at(400, Part.audio(new byte[480], 24000).withRole("model")),
                        at(600, Part.endOfTurn().withRole("model")))))
            .environment(Map.of())
            .build();
    StepVerifier.withVirtualTime(() -> voice.run(Flux.never()))
        .thenAwait(Duration.ofSeconds(3))
        .expectNext(new RealtimeEvent.StateChanged(ConversationState.LISTENING))
        .expectNext(new RealtimeEvent.StateChanged(ConversationState.PROCESSING))
        .assertNext(e -> assertThat(e).isInstanceOf(RealtimeEvent.AudioChunk.class))
        .expectNext(new RealtimeEvent.StateChanged(ConversationState.SPEAKING))
        .assertNext(e -> assertThat(((RealtimeEvent.AudioChunk) e).isFinal()).isTrue())
        .expectNext(new RealtimeEvent.StateChanged(ConversationState.IDLE))
        .verifyComplete();
  }
}
