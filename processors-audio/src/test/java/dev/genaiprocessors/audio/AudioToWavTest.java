package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class AudioToWavTest {

  private static WavAudio decoded(Part wav) {
    assertThat(wav.mimeType()).isEqualTo(MimeTypes.AUDIO_WAV);
    return Wav.decode(wav.bytes());
  }

  @Test
  void consecutiveAudioPartsBecomeOneWavPartAtTheEnd() {
    byte[] pcm = Signals.sine(440, 16000, 3200, 9000);
    List<Part> chunks =
        Pcm.split(
            Part.audio(pcm, 16000).withRole("user").withMetadata("id", "a"), Duration.ofMillis(20));

    StepVerifier.create(new AudioToWav().apply(Flux.fromIterable(chunks)))
        .assertNext(
            wav -> {
              assertThat(decoded(wav)).isEqualTo(new WavAudio(16000, pcm));
              assertThat(wav.role()).isEqualTo("user");
              assertThat(wav.metadata()).containsEntry("id", "a");
            })
        .verifyComplete();
  }

  @Test
  void aPartThatIsNotAudioEndsTheRunAndPassesThroughInOrder() {
    Part a = Part.audio(Signals.pcm((short) 1, (short) 2), 24000);
    Part b = Part.audio(Signals.pcm((short) 3), 24000);
    Part text = Part.text("the user stopped");
    Part c = Part.audio(Signals.pcm((short) 4), 24000);
    Part image = Part.image(new byte[] {1}, "image/png");
    Part endOfTurn = Part.endOfTurn();

    StepVerifier.create(new AudioToWav().apply(Flux.just(a, b, text, c, image, endOfTurn)))
        .assertNext(
            wav -> assertThat(Signals.shorts(decoded(wav).pcm16le())).containsExactly(1, 2, 3))
        .expectNext(text)
        .assertNext(wav -> assertThat(Signals.shorts(decoded(wav).pcm16le())).containsExactly(4))
        .expectNext(image, endOfTurn)
        .verifyComplete();
  }

  @Test
  void aChangeOfMimeTypeRoleOrSubstreamEndsTheRun() {
    Part at16 = Part.audio(Signals.pcm((short) 1), 16000);
    Part sameRateOtherSpelling = Part.bytes(Signals.pcm((short) 2), "audio/pcm; rate=16000");
    Part at24 = Part.audio(Signals.pcm((short) 3), 24000);
    Part l16 = Part.bytes(Signals.pcm((short) 4), "audio/l16;rate=24000");
    Part model = Part.bytes(Signals.pcm((short) 5), "audio/l16;rate=24000").withRole("model");
    Part otherSubstream = model.withSubstream("echo");

    List<WavAudio> wavs = new ArrayList<>();
    StepVerifier.create(
            new AudioToWav()
                .apply(Flux.just(at16, sameRateOtherSpelling, at24, l16, model, otherSubstream)))
        .thenConsumeWhile(p -> wavs.add(decoded(p)))
        .verifyComplete();
    assertThat(wavs)
        .extracting(w -> List.of(w.sampleRate(), Signals.shorts(w.pcm16le()).length))
        .containsExactly(
            List.of(16000, 2),
            List.of(24000, 1),
            List.of(24000, 1),
            List.of(24000, 1),
            List.of(24000, 1));
  }

  @Test
  void aRunLongerThanTheMaximumIsCutIntoWavsOfTheMaximumWithNoLoss() {
    byte[] pcm = Signals.sine(300, 8000, 2000, 7000); // 250 ms
    List<Part> chunks = Pcm.split(Part.audio(pcm, 8000), Duration.ofMillis(30));
    List<Part> out = new ArrayList<>();

    StepVerifier.create(new AudioToWav(Duration.ofMillis(100)).apply(Flux.fromIterable(chunks)))
        .recordWith(() -> out)
        .expectNextCount(3)
        .verifyComplete();
    List<Part> pcmParts = out.stream().map(Wav::toPcmPart).toList();
    assertThat(pcmParts)
        .extracting(p -> Pcm.duration(p.byteSize(), 8000))
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(50));
    assertThat(Pcm.concat(pcmParts).bytes()).isEqualTo(pcm);
  }

  @Test
  void oneHugePartIsCutToo() {
    byte[] pcm = Signals.sine(300, 16000, 16000, 7000);
    StepVerifier.create(
            new AudioToWav(Duration.ofMillis(300))
                .apply(Flux.just(Part.audio(pcm, 16000)))
                .map(p -> Wav.toPcmPart(p).byteSize()))
        .expectNext(9600, 9600, 9600, 3200)
        .verifyComplete();
  }

  @Test
  void anEmptyStreamAndEmptyAudioGiveNoWav() {
    StepVerifier.create(new AudioToWav().apply(Flux.empty())).verifyComplete();
    Part text = Part.text("x");
    StepVerifier.create(new AudioToWav().apply(Flux.just(Part.audio(new byte[0], 16000), text)))
        .expectNext(text)
        .verifyComplete();
  }

  @Test
  void audioWithoutARateIsAClearError() {
    StepVerifier.create(new AudioToWav().apply(Flux.just(Part.bytes(new byte[4], "audio/l16"))))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no rate parameter"))
        .verify();
    assertThatThrownBy(() -> new AudioToWav(Duration.ZERO))
        .hasMessageContaining("must be positive");
  }

  @Test
  void eachSubscriptionGathersAfresh() {
    Flux<Part> out = new AudioToWav().apply(Flux.just(Part.audio(Signals.pcm((short) 9), 8000)));
    for (int i = 0; i < 2; i++) {
      StepVerifier.create(out)
          .assertNext(wav -> assertThat(Signals.shorts(decoded(wav).pcm16le())).containsExactly(9))
          .verifyComplete();
    }
  }
}
