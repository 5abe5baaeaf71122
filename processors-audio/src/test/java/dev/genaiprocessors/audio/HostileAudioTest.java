package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** Memory sized by what the input holds, not by what it declares; hostile rates are typed errors. */
class HostileAudioTest {

  @TempDir Path dir;

  @Test
  void aTinyFileDeclaringTwoBillionHertzAllocatesWhatIsThereNotFourHundredMegabytes()
      throws Exception {
    byte[] wav =
        WavFiles.riff().fmt(1, 1, Integer.MAX_VALUE, 16).chunk("data", new byte[10]).build();
    assertThat(wav).hasSize(54);
    Path file = Files.write(dir.resolve("hostile.wav"), wav);
    Part[] first = new Part[1];

    long allocated =
        Allocation.of(
            () -> {
              WavFileReader reader = WavFileReader.open(file, Duration.ofMillis(100));
              try {
                first[0] = reader.next();
                assertThat(reader.next()).isNull();
              } finally {
                reader.close();
              }
            });

    assertThat(first[0].byteSize()).isEqualTo(10);
    assertThat(first[0].mimeType()).isEqualTo("audio/pcm;rate=" + Integer.MAX_VALUE);
    assertThat(allocated).as("bytes allocated reading a 54-byte file").isLessThan(1 << 20);
  }

  @Test
  void aChunkTooLongForALongIsBoundedByTheFileToo() throws Exception {
    Path file = Files.write(dir.resolve("long.wav"), Wav.encode(new byte[200], 48000));
    List<Part> parts =
        Objects.requireNonNull(
            Wav.read(file, Duration.ofSeconds(Long.MAX_VALUE / 1000))
                .collectList()
                .block(Duration.ofSeconds(10)));
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).byteSize()).isEqualTo(200);
  }

  @Test
  void aResamplerForTwoBillionHertzIsATypedErrorThatBuildsNoFilter() throws Exception {
    long allocated =
        Allocation.of(
            () ->
                assertThatThrownBy(() -> new Resampler(2_000_000_000, 16000))
                    .isInstanceOf(UnsupportedAudioException.class)
                    .hasMessageContaining("2000000000 Hz in")
                    .hasMessageContaining("between 1000 Hz and 384000 Hz"));
    assertThat(allocated).isLessThan(1 << 20);
  }

  @Test
  void aPartAtTwoBillionHertzEndsResamplingWithTheTypedErrorCheaply() throws Exception {
    Part hostile = Part.bytes(new byte[4], "audio/pcm;rate=2000000000");
    long allocated =
        Allocation.of(
            () ->
                assertThatThrownBy(
                        () ->
                            Resample.to(16000)
                                .apply(Flux.just(hostile))
                                .collectList()
                                .block(Duration.ofSeconds(10)))
                    .isInstanceOf(UnsupportedAudioException.class)
                    .hasMessageContaining("2000000000 Hz"));
    assertThat(allocated).isLessThan(4 << 20);
  }

  @Test
  void theSupportedRangeIsChecked() {
    assertThatThrownBy(() -> new Resampler(999, 16000))
        .isInstanceOf(UnsupportedAudioException.class);
    assertThatThrownBy(() -> new Resampler(16000, 384_001))
        .isInstanceOf(UnsupportedAudioException.class);
    assertThatThrownBy(() -> Resample.to(500_000)).isInstanceOf(UnsupportedAudioException.class);
    new Resampler(Resampler.MIN_SAMPLE_RATE, Resampler.MAX_SAMPLE_RATE);
    new Resampler(Resampler.MAX_SAMPLE_RATE - 1, Resampler.MIN_SAMPLE_RATE);
  }
}
