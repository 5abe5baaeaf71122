package dev.genaiprocessors.offline.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The text-to-speech programs' output under hostile bytes: a WAV stream as espeak-ng writes it, with
 * header fields overwritten by edge values, random bytes and truncations. Only an {@link IOException}
 * (the documented error of {@link WavStream#read}) may come out, every piece handed on is whole samples,
 * and nothing handed on is more than the stream held. Seeded and bounded: 2,000 tries.
 */
class WavStreamFuzzTest {

  private static final int[] EDGES = {
    0,
    1,
    -1,
    2,
    8,
    15,
    16,
    17,
    0xFFFF,
    0x10000,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    22050,
    384_000,
    384_001
  };

  static byte[] hostileStream(Random random) {
    byte[] samples = new byte[random.nextInt(20_000)];
    random.nextBytes(samples);
    ByteBuffer b = ByteBuffer.allocate(64 + samples.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(-1).put("WAVE".getBytes());
    if (random.nextBoolean()) {
      b.put("LIST".getBytes()).putInt(3).put(new byte[] {1, 2, 3, 0});
    }
    b.put("fmt ".getBytes())
        .putInt(16)
        .putShort((short) 1)
        .putShort((short) 1)
        .putInt(22050)
        .putInt(44100)
        .putShort((short) 2)
        .putShort((short) 16);
    b.put("data".getBytes()).putInt(-1).put(samples);
    byte[] bytes = Arrays.copyOf(b.array(), b.position());
    int changes = 1 + random.nextInt(4);
    for (int i = 0; i < changes && bytes.length > 4; i++) {
      int headerEnd = Math.min(bytes.length - 4, 56);
      switch (random.nextInt(3)) {
        case 0 -> bytes[random.nextInt(headerEnd)] = (byte) random.nextInt(256);
        case 1 ->
            ByteBuffer.wrap(bytes)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(random.nextInt(headerEnd), EDGES[random.nextInt(EDGES.length)]);
        default -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
    }
    return bytes;
  }

  @Provide
  Arbitrary<byte[]> streams() {
    return Arbitraries.randomValue(WavStreamFuzzTest::hostileStream);
  }

  @Property(tries = 2000, seed = "20261207")
  void onlyAnIoExceptionComesOutAndPiecesAreWholeSamples(@ForAll("streams") byte[] stream) {
    long[] handedOn = {0};
    try {
      WavStream.read(
          new ByteArrayInputStream(stream),
          "fuzz",
          (pcm, rate) -> {
            assertThat(pcm.length % 2).isZero();
            assertThat(rate).isBetween(1, WavStream.MAX_SAMPLE_RATE);
            handedOn[0] += pcm.length;
            return true;
          });
    } catch (IOException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    assertThat(handedOn[0]).isLessThanOrEqualTo(stream.length);
  }
}
