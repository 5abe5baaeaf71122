package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ResampleTest {

  private static List<Part> chunks(byte[] pcm, int rate, int millis) {
    return Pcm.split(Part.audio(pcm, rate), Duration.ofMillis(millis));
  }

  private static List<Part> run(Processor processor, List<Part> input) {
    List<Part> out = new ArrayList<>();
    StepVerifier.create(processor.apply(Flux.fromIterable(input)))
        .recordWith(() -> out)
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    return out;
  }

  @Test
  void aStreamIsResampledAsOneSignalAndTheTailIsFlushedAtTheEnd() {
    byte[] pcm = Signals.sine(1000, 16000, 8000, 12000); // 0.5 s
    List<Part> out = run(Resample.to(24000), chunks(pcm, 16000, 20));

    assertThat(out).hasSize(26); // 25 parts in, plus the flushed tail
    assertThat(out).allSatisfy(p -> assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=24000"));
    assertThat(Pcm.concat(out).bytes()).isEqualTo(ResamplerTest.resampleWhole(pcm, 16000, 24000));
    assertThat(Pcm.concat(out).byteSize()).isEqualTo(2 * 12000);
  }

  @Test
  void otherPartsPassThroughInOrderAndKeepTheirPlace() {
    Part text = Part.text("between");
    Part status = Part.status("working");
    List<Part> input = new ArrayList<>(chunks(new byte[3840], 48000, 20)); // 2 parts
    input.add(1, text);
    input.add(status);
    List<Part> out = run(Resample.to(16000), input);

    assertThat(out).hasSize(5);
    assertThat(out.get(0).isAudio()).isTrue();
    assertThat(out.get(1)).isSameAs(text);
    assertThat(out.get(2).isAudio()).isTrue();
    assertThat(out.get(3)).isSameAs(status); // before the held-back tail
    assertThat(out.get(4).isAudio()).isTrue();
    assertThat(out.stream().filter(Part::isAudio).mapToInt(Part::byteSize).sum())
        .isEqualTo(2 * 640);
  }

  @Test
  void partsAlreadyAtTheTargetRatePassUntouched() {
    List<Part> input = chunks(Signals.sine(300, 24000, 2400, 5000), 24000, 25);
    List<Part> out = run(Resample.to(24000), input);
    assertThat(out).hasSize(input.size());
    for (int i = 0; i < out.size(); i++) {
      assertThat(out.get(i)).isSameAs(input.get(i));
    }
  }

  @Test
  void aNewRateMidStreamFlushesTheOldStreamAndStartsAgain() {
    byte[] first = Signals.sine(700, 48000, 4800, 9000);
    byte[] second = Signals.sine(700, 44100, 4410, 9000);
    Part atTarget = Part.audio(Signals.pcm((short) 1, (short) 2), 16000);
    List<Part> input = new ArrayList<>(chunks(first, 48000, 20));
    input.addAll(chunks(second, 44100, 20));
    input.add(atTarget);
    List<Part> out = run(Resample.to(16000), input);

    byte[] expected =
        ResamplerTest.join(
            ResamplerTest.resampleWhole(first, 48000, 16000),
            ResamplerTest.resampleWhole(second, 44100, 16000),
            atTarget.bytes());
    assertThat(Pcm.concat(out).bytes()).isEqualTo(expected);
    assertThat(out.get(out.size() - 1)).isSameAs(atTarget);
  }

  @Test
  void outputPartsKeepTheirMimeTypeFamilyRoleSubstreamAndMetadata() {
    Part in =
        Part.bytes(new byte[960], "audio/L16; rate=24000; channels=1")
            .withRole("model")
            .withSubstream("voice")
            .withMetadata("turn", 7);
    List<Part> out = run(Resample.to(16000), List.of(in));
    assertThat(out)
        .hasSize(2)
        .allSatisfy(
            p -> {
              assertThat(p.mimeType()).isEqualTo("audio/l16;rate=16000");
              assertThat(p.role()).isEqualTo("model");
              assertThat(p.substream()).isEqualTo("voice");
              assertThat(p.metadata()).containsEntry("turn", 7L);
            });
  }

  @Test
  void eachSubscriptionResamplesAfresh() {
    byte[] pcm = Signals.sine(1000, 16000, 1600, 12000);
    Flux<Part> out = Resample.to(24000).apply(Flux.fromIterable(chunks(pcm, 16000, 10)));
    byte[] expected = ResamplerTest.resampleWhole(pcm, 16000, 24000);
    for (int i = 0; i < 3; i++) {
      StepVerifier.create(out.collectList().map(parts -> Pcm.concat(parts).bytes()))
          .assertNext(bytes -> assertThat(bytes).isEqualTo(expected))
          .verifyComplete();
    }
  }

  @Test
  void audioThatCannotBeResampledIsAClearError() {
    Processor resample = Resample.to(16000);
    StepVerifier.create(resample.apply(Flux.just(Part.bytes(new byte[44], "audio/wav"))))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'audio/wav'")
                    .hasMessageContaining("Wav.toPcmPart"))
        .verify();
    StepVerifier.create(
            resample.apply(Flux.just(Part.text("ok"), Part.bytes(new byte[4], "audio/pcm"))))
        .expectNextMatches(Part::isText)
        .expectErrorMessage(
            "audio part 'audio/pcm' has no rate parameter; expected for example audio/pcm;rate=16000")
        .verify();
    StepVerifier.create(resample.apply(Flux.just(Part.bytes(new byte[5], "audio/l16;rate=8000"))))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("even number of bytes"))
        .verify();
    StepVerifier.create(resample.apply(Flux.just(Part.bytes(new byte[4], "audio/mpeg"))))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("'audio/mpeg'"))
        .verify();
    assertThatThrownBy(() -> Resample.to(0)).hasMessageContaining("must be positive");
  }

  @Test
  void upstreamErrorsPassThroughWithoutAFlush() {
    Flux<Part> input =
        Flux.concat(
            Flux.fromIterable(chunks(new byte[960], 16000, 30)),
            Flux.error(new IllegalStateException("mic")));
    StepVerifier.create(Resample.to(24000).apply(input))
        .expectNextMatches(Part::isAudio)
        .verifyErrorMessage("mic");
  }

  @Test
  void perTurnFlushesEachTurnsTailBeforeItsModelEndOfTurn() {
    Part end = Part.endOfTurn().withRole("model");
    Part userEnd = Part.endOfTurn().withRole("user");
    List<Part> input = new ArrayList<>(chunks(new byte[1920], 24000, 20)); // 2 parts of 20 ms
    input.add(userEnd); // does not split the turn
    input.add(end);
    input.addAll(chunks(new byte[960], 24000, 20)); // the next turn: 1 part, no end yet
    List<Part> out = run(Resample.perTurn(16000), input);

    // First turn: 2 parts, the user's end, the first turn's flushed tail, then the model's end.
    assertThat(out).hasSize(7);
    assertThat(out.subList(0, 2)).allMatch(Part::isAudio);
    assertThat(out.get(2)).isSameAs(userEnd);
    assertThat(out.get(3).isAudio()).isTrue(); // the held-back tail, before the end
    assertThat(out.get(4)).isSameAs(end);
    assertThat(out.subList(0, 4).stream().filter(Part::isAudio).mapToInt(Part::byteSize).sum())
        .isEqualTo(2 * 640); // 40 ms at 16 kHz: all of the first turn's audio came before its end
    assertThat(out.subList(5, 7)).allMatch(Part::isAudio); // the last turn, its tail at the end
    assertThat(out.subList(5, 7).stream().mapToInt(Part::byteSize).sum()).isEqualTo(640);
  }

  @Test
  void plainResamplingWouldLetATurnsTailFollowItsEnd() {
    Part end = Part.endOfTurn().withRole("model");
    List<Part> input = new ArrayList<>(chunks(new byte[1920], 24000, 20));
    input.add(end);
    input.addAll(chunks(new byte[960], 24000, 20));
    List<Part> out = run(Resample.to(16000), input);

    int endAt = out.indexOf(end);
    assertThat(out.subList(0, endAt).stream().mapToInt(Part::byteSize).sum())
        .isLessThan(2 * 640); // why perTurn exists: part of the first turn comes after its end
  }

  @Test
  void perTurnRefusesABadRateAtOnce() {
    assertThatThrownBy(() -> Resample.perTurn(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
