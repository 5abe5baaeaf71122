package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import reactor.core.publisher.Flux;

/**
 * WAV and PCM headers under hostile bytes: valid files with header fields overwritten by edge values
 * (0, -1, 2^31 - 1, sizes just below and above what a chunk needs), random bytes, and truncations. Only
 * {@link UnsupportedAudioException} may come out of the decoders (and {@link IllegalArgumentException}
 * for a hostile {@code audio/pcm} MIME type), and the memory a file costs is bounded by its length.
 * Seeded and bounded: 2,000 tries each (500 for the file reader, which writes a file per try).
 */
class WavFuzzTest {

  private static final int[] EDGES = {
    0,
    1,
    -1,
    2,
    8,
    15,
    16,
    17,
    18,
    39,
    40,
    0xFFFE,
    0xFFFF,
    0x10000,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    44100,
    48000,
    384_000,
    384_001
  };

  @SuppressWarnings("NullAway.Init") // set by the @BeforeContainer method before any property runs
  private static Path dir;

  @BeforeContainer
  static void makeDirectory() throws Exception {
    dir = Files.createTempDirectory("wav-fuzz");
    // Load and initialise the classes once, so that the first try's allocation count is its own.
    Resample.to(16000)
        .apply(Flux.just(Part.audio(new byte[4], 24000)))
        .collectList()
        .block(Duration.ofSeconds(10));
  }

  @AfterContainer
  static void removeDirectory() throws Exception {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** A valid WAV file of one of several shapes, then mutated. */
  static byte[] hostileWav(Random random) {
    byte[] samples = new byte[2 * random.nextInt(64)];
    random.nextBytes(samples);
    WavFiles wav = WavFiles.riff();
    switch (random.nextInt(4)) {
      case 0 -> wav.fmt(1, 1, 16000, 16);
      case 1 -> wav.fmt(1, 2, 44100, 16);
      case 2 -> wav.extensible(1, 1, 48000, 16);
      default -> wav.chunk("LIST", new byte[] {1, 2, 3}).fmt(1, 1, 24000, 16);
    }
    byte[] bytes = wav.chunk("data", samples).build();
    int changes = 1 + random.nextInt(4);
    for (int i = 0; i < changes && bytes.length > 0; i++) {
      int headerEnd = Math.min(bytes.length, 72);
      switch (random.nextInt(4)) {
        case 0 -> bytes[random.nextInt(headerEnd)] = (byte) random.nextInt(256);
        case 1 -> {
          int at = random.nextInt(Math.max(1, headerEnd - 3));
          if (at + 4 <= bytes.length) {
            ByteBuffer.wrap(bytes)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(at, EDGES[random.nextInt(EDGES.length)]);
          }
        }
        case 2 -> {
          int at = random.nextInt(Math.max(1, headerEnd - 1));
          if (at + 2 <= bytes.length) {
            ByteBuffer.wrap(bytes)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort(at, (short) EDGES[random.nextInt(EDGES.length)]);
          }
        }
        default -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
    }
    if (random.nextInt(20) == 0) {
      random.nextBytes(bytes);
    }
    return bytes;
  }

  @Provide
  Arbitrary<byte[]> wavs() {
    return Arbitraries.randomValue(WavFuzzTest::hostileWav);
  }

  @Property(tries = 2000, seed = "20261207")
  void decodingInMemoryGivesAudioOrAnUnsupportedAudioException(@ForAll("wavs") byte[] wav)
      throws Exception {
    long allocated =
        Allocation.of(
            () -> {
              try {
                WavAudio audio = Wav.decode(wav);
                assertThat(audio.sampleRate()).isPositive();
              } catch (UnsupportedAudioException e) {
                assertThat(e.getMessage()).contains("supported:");
              }
            });
    assertThat(allocated).isLessThan((1 << 20) + 4L * wav.length);
  }

  @Property(tries = 500, seed = "20261207")
  void readingAFileGivesAudioOrAnUnsupportedAudioExceptionInMemoryBoundedByTheFile(
      @ForAll("wavs") byte[] wav) throws Exception {
    Path file = Files.write(dir.resolve("fuzz.wav"), wav);
    long allocated =
        Allocation.of(
            () -> {
              WavFileReader reader;
              try {
                reader = WavFileReader.open(file, Duration.ofSeconds(1));
              } catch (UnsupportedAudioException e) {
                return;
              }
              try {
                long total = 0;
                for (Part part = reader.next(); part != null; part = reader.next()) {
                  total += part.byteSize();
                }
                assertThat(total).isLessThanOrEqualTo(wav.length);
              } finally {
                reader.close();
              }
            });
    assertThat(allocated).isLessThan((1 << 20) + 8L * wav.length);
  }

  @Provide
  Arbitrary<String> pcmTypes() {
    return Arbitraries.randomValue(
        random -> {
          String rate =
              switch (random.nextInt(6)) {
                case 0 -> Integer.toString(EDGES[random.nextInt(EDGES.length)]);
                case 1 -> Long.toString(random.nextLong());
                case 2 -> "99999999999999999999";
                case 3 -> "";
                case 4 -> "16000;rate=8000";
                default -> Integer.toString(random.nextInt());
              };
          return (random.nextBoolean() ? "audio/pcm" : "audio/L16") + ";rate=" + rate;
        });
  }

  @Property(tries = 2000, seed = "20261207")
  void resamplingAHostileRateGivesAudioOrAnIllegalArgumentExceptionCheaply(
      @ForAll("pcmTypes") String mime) throws Exception {
    long allocated =
        Allocation.of(
            () -> {
              try {
                Part part = Part.bytes(new byte[4], mime);
                Resample.to(16000)
                    .apply(Flux.just(part))
                    .collectList()
                    .block(Duration.ofSeconds(10));
              } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
              }
            });
    assertThat(allocated).as("bytes allocated for 4 bytes at %s", mime).isLessThan(8 << 20);
  }
}
