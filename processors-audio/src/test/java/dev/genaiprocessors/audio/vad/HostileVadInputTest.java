package dev.genaiprocessors.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/**
 * Hostile audio fed to both speech detectors: empty chunks, tiny chunks, audio clipped at full scale,
 * alternating extremes, at rates the detectors must resample: the output is the input audio byte for
 * byte, plus speech events. A chunk of an odd number of bytes (half a sample, which {@code Part.audio}
 * refuses but a part from elsewhere can carry) is a typed error that says so, never an index error.
 */
class HostileVadInputTest {

  static Supplier<? extends SpeechDetector> detector(String name) {
    return name.equals("silero") ? SileroSpeechDetector::new : EnergySpeechDetector::new;
  }

  static List<Part> hostile(int rate) {
    List<Part> parts = new ArrayList<>();
    parts.add(Part.audio(new byte[0], rate));
    byte[] clipped = new byte[rate / 5 * 2];
    for (int i = 0; i < clipped.length; i += 2) {
      clipped[i] = (byte) 0xFF;
      clipped[i + 1] = (byte) 0x7F;
    }
    parts.add(Part.audio(clipped, rate));
    byte[] alternating = new byte[rate / 5 * 2 + 4];
    for (int i = 0; i + 1 < alternating.length; i += 2) {
      alternating[i] = (i / 2) % 2 == 0 ? (byte) 0x00 : (byte) 0xFF;
      alternating[i + 1] = (i / 2) % 2 == 0 ? (byte) 0x80 : (byte) 0x7F;
    }
    parts.add(Part.bytes(alternating, "audio/pcm;rate=" + rate));
    parts.add(Part.audio(new byte[6], rate));
    return parts;
  }

  @ParameterizedTest
  @ValueSource(strings = {"energy", "silero"})
  void hostileAudioComesOutByteForByte(String name) {
    for (int rate : new int[] {16000, 8000, 44100}) {
      List<Part> input = hostile(rate);

      List<Part> out =
          Flux.fromIterable(input)
              .transform(Vad.builder().detector(detector(name)).build())
              .collectList()
              .block(Duration.ofSeconds(30));

      byte[] audio =
          concat(
              out.stream()
                  .filter(Part::isBytes)
                  .filter(p -> p.mimeType().startsWith("audio/"))
                  .toList());
      assertThat(audio)
          .as("%s at %d Hz: the audio passes byte for byte", name, rate)
          .isEqualTo(concat(input));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"energy", "silero"})
  void halfASampleIsATypedErrorThatSaysSo(String name) {
    Flux<Part> input =
        Flux.just(
            Part.audio(new byte[320], 16000), Part.bytes(new byte[7], "audio/pcm;rate=16000"));

    assertThatThrownBy(
            () ->
                input
                    .transform(Vad.builder().detector(detector(name)).build())
                    .blockLast(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("of 7 bytes ends in half a sample");
  }

  static byte[] concat(List<Part> parts) {
    int n = parts.stream().mapToInt(p -> p.bytes().length).sum();
    byte[] all = new byte[n];
    int at = 0;
    for (Part p : parts) {
      byte[] b = p.bytes();
      System.arraycopy(b, 0, all, at, b.length);
      at += b.length;
    }
    return all;
  }
}
