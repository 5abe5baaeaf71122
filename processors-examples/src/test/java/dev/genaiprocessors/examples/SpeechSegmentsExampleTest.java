package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.vad.Vad;
import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class SpeechSegmentsExampleTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  @Test
  void theSynthesisedAudioHoldsThreeSpeechSegmentsPacedOverSixSeconds() {
    StepVerifier.withVirtualTime(
            () ->
                Flux.fromIterable(
                        Pcm.split(SpeechSegmentsExample.synthesise(16000), Duration.ofMillis(20)))
                    .transform(Vad.builder().build())
                    .transform(AudioRateLimiter.builder().build())
                    .collectList())
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(5))
        .thenAwait(Duration.ofSeconds(2))
        .assertNext(
            parts -> {
              assertThat(parts).filteredOn(Part::isStartOfSpeech).hasSize(3);
              assertThat(parts).filteredOn(Part::isEndOfSpeech).hasSize(3);
              List<Part> audio = parts.stream().filter(Part::isAudio).toList();
              assertThat(audio.stream().mapToInt(Part::byteSize).sum()).isEqualTo(6 * 16000 * 2);
            })
        .verifyComplete();
  }
}
