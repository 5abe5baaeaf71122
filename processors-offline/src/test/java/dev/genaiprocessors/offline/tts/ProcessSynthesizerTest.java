package dev.genaiprocessors.offline.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.testkit.audio.AudioMeasures;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/** flite and espeak-ng as external programs; each test is skipped when its program is not on the PATH. */
class ProcessSynthesizerTest {

  private static final Logger log = LoggerFactory.getLogger(ProcessSynthesizerTest.class);

  private static void voicesTwoSentences(
      Optional<ProcessSynthesizer> engine, String program, int rate) {
    assumeTrue(engine.isPresent(), program + " is not installed (not on the PATH)");
    TextToSpeech tts = TextToSpeech.builder(engine.get()).build();

    List<Part> out =
        Flux.just(Part.text("Hello there. This is "), Part.text(program + " speaking."))
            .transform(tts)
            .collectList()
            .blockOptional(Duration.ofSeconds(60))
            .orElseThrow();

    assertThat(out).allMatch(Part::isAudio);
    assertThat(out)
        .extracting(p -> p.metadata(PartMetadata.SPOKEN_TEXT))
        .containsOnly("Hello there.", "This is " + program + " speaking.");
    assertThat(out).allMatch(p -> p.mimeType().equals("audio/pcm;rate=" + rate));
    log.info(
        "{}: {} parts, {} s, rms {}",
        program,
        out.size(),
        AudioMeasures.seconds(out, rate),
        AudioMeasures.rms(out));
    assertThat(AudioMeasures.rms(out)).isGreaterThan(0.02);
    assertThat(AudioMeasures.seconds(out, rate)).isBetween(1.0, 8.0);
  }

  @Test
  void fliteVoicesSentences() {
    voicesTwoSentences(ProcessSynthesizer.flite(), "flite", 16000);
  }

  @Test
  void espeakNgVoicesSentences() {
    voicesTwoSentences(ProcessSynthesizer.espeakNg(), "espeak-ng", 22050);
  }

  @Test
  void espeakNgReportsAnUnknownVoiceWithWhatItSaid() {
    Optional<ProcessSynthesizer> engine = ProcessSynthesizer.espeakNg("xx-nosuchvoice");
    assumeTrue(engine.isPresent(), "espeak-ng is not installed (not on the PATH)");

    assertThatThrownBy(() -> engine.get().synthesize("hello", (pcm, rate) -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("espeak-ng xx-nosuchvoice");
  }

  @Test
  void findsOnlyProgramsThatExistAndRefusesOddVoiceNames() {
    assertThat(ProcessSynthesizer.findOnPath("no-such-program-for-genai-tests")).isEmpty();
    assertThat(ProcessSynthesizer.findOnPath("../bin/sh")).isEmpty();
    assertThatThrownBy(() -> ProcessSynthesizer.flite("slt; rm -rf /"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("voice name");
  }
}
