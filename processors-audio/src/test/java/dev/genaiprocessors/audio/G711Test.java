package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {

  @Test
  void ulawKnownCodes() {
    assertThat(G711.ulaw(0) & 0xFF).isEqualTo(0xFF);
    assertThat(G711.ulaw(32767) & 0xFF).isEqualTo(0x80);
    assertThat(G711.ulaw(-32768) & 0xFF).isEqualTo(0x00);
    assertThat(G711.linearOfUlaw((byte) 0xFF)).isZero();
    assertThat(G711.linearOfUlaw((byte) 0x80)).isEqualTo(32124);
    assertThat(G711.linearOfUlaw((byte) 0x00)).isEqualTo(-32124);
  }

  @Test
  void alawKnownCodes() {
    assertThat(G711.alaw(0) & 0xFF).isEqualTo(0xD5);
    assertThat(G711.alaw(-1) & 0xFF).isEqualTo(0x55);
    assertThat(G711.alaw(32767) & 0xFF).isEqualTo(0xAA);
    assertThat(G711.alaw(-32768) & 0xFF).isEqualTo(0x2A);
    assertThat(G711.linearOfAlaw((byte) 0xD5)).isEqualTo(8);
    assertThat(G711.linearOfAlaw((byte) 0xAA)).isEqualTo(32256);
  }

  @Test
  void everySampleRoundTripsWithinItsStep() {
    for (int s = -32768; s <= 32767; s++) {
      int u = G711.linearOfUlaw(G711.ulaw(s));
      int a = G711.linearOfAlaw(G711.alaw(s));
      // The step is 1/16 of the segment, so the error stays under about 1/16 of the magnitude (+
      // the
      // smallest step near zero).
      int bound = Math.abs(s) / 16 + 16;
      assertThat(Math.abs(u - Math.min(Math.max(s, -32124), 32124)))
          .as("ulaw %d", s)
          .isLessThanOrEqualTo(bound);
      assertThat(Math.abs(a - s)).as("alaw %d", s).isLessThanOrEqualTo(bound);
    }
  }

  @Test
  void decodingThenEncodingGivesTheSameCode() {
    for (int c = 0; c < 256; c++) {
      byte code = (byte) c;
      assertThat(G711.alaw(G711.linearOfAlaw(code))).as("alaw %02x", c).isEqualTo(code);
      if (c != 0x7F) { // 0x7F and 0xFF both decode to zero (negative and positive zero)
        assertThat(G711.ulaw(G711.linearOfUlaw(code))).as("ulaw %02x", c).isEqualTo(code);
      }
    }
  }

  @Test
  void arraysConvertSampleBySample() {
    byte[] pcm = {0, 0, (byte) 0xFF, 0x7F, 0x00, (byte) 0x80};
    assertThat(G711.encodeUlaw(pcm)).containsExactly((byte) 0xFF, (byte) 0x80, (byte) 0x00);
    assertThat(G711.encodeAlaw(pcm)).containsExactly((byte) 0xD5, (byte) 0xAA, (byte) 0x2A);
    assertThat(G711.decodeUlaw(new byte[] {(byte) 0xFF, (byte) 0x80}))
        .containsExactly(0, 0, (byte) 0x7C, (byte) 0x7D);
    assertThat(G711.decodeAlaw(new byte[] {(byte) 0xD5})).containsExactly(8, 0);
  }
}
