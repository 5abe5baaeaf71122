package dev.genaiprocessors.live.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioChunkerTest {
  // 16 kHz: 100 ms = 3200 bytes, 200 ms = 6400 bytes.
  private final AudioChunker chunker = new AudioChunker(16000);

  @Test
  void smallPiecesAreGatheredIntoChunksOfAtLeast100Ms() {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.addAll(chunker.add(new byte[640])); // 20 ms each
    }
    assertThat(out).hasSize(2).allMatch(c -> c.length == 3200);
    assertThat(chunker.flush()).isEmpty();
  }

  @Test
  void aLongPieceIsCutInto200MsChunksAndTheRestWaitsForAFlush() {
    List<byte[]> out = chunker.add(new byte[6400 * 2 + 1000]);
    assertThat(out).extracting(c -> c.length).containsExactly(6400, 6400);
    assertThat(chunker.flush()).hasSize(1000);
    assertThat(chunker.flush()).isEmpty();
  }

  @Test
  void whatIsHeldNeverReaches100Ms() {
    assertThat(chunker.add(new byte[3198])).isEmpty();
    assertThat(chunker.add(new byte[2])).singleElement().matches(c -> c.length == 3200);
  }

  @Test
  void anOddLengthIsRefused() {
    assertThatThrownBy(() -> chunker.add(new byte[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even number of bytes");
  }
}
