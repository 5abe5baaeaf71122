package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.offline.responder.OfflineResponder;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class VoiceAgentExampleTest {

  @Test
  void aSpokenQuestionIsTranscribedAnsweredAndVoicedWithLocalEngines() {
    byte[] question = VoiceAgentExample.speak(List.of("Tell me a joke."), 1.5);
    List<Part> out =
        Flux.fromIterable(
                Pcm.split(
                    Part.audio(question, FreeTtsSynthesizer.SAMPLE_RATE), Duration.ofMillis(20)))
            .transform(VoiceAgentExample.agent(OfflineResponder.builder().build()))
            .collectList()
            .block(Duration.ofMinutes(2));
    assertThat(out)
        .filteredOn(Part::isFinalTranscription)
        .extracting(Part::text)
        .containsExactly("Tell me a joke.");
    String answer =
        out.stream()
            .filter(p -> p.isText() && p.role().equals("model") && p.substream().isEmpty())
            .map(Part::text)
            .reduce("", String::concat);
    assertThat(answer).contains("Why did the developer go broke?");
    int voiced = out.stream().filter(Part::isAudio).mapToInt(Part::byteSize).sum();
    assertThat(voiced)
        .as("bytes of the agent's voice")
        .isGreaterThan(FreeTtsSynthesizer.SAMPLE_RATE * 2);
    List<Part> content = out.stream().filter(p -> !p.isStatus()).toList();
    assertThat(content.get(content.size() - 1).isEndOfTurn()).isTrue();
  }
}
