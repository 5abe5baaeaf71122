package dev.genaiprocessors.offline.responder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

  @Test
  void givesTheEmbeddingsLangchain4jsDjlBasedModelGaveForTheSameTexts() throws IOException {
    int compared = 0;
    try (InputStream in = getClass().getResourceAsStream("langchain4j-embeddings.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split("\t");
        float[] expected = new float[fields.length - 1];
        for (int i = 1; i < fields.length; i++) {
          expected[i - 1] = Float.parseFloat(fields[i]);
        }

        float[] actual = MiniLmEmbedder.shared().embed(fields[0]);

        assertThat(actual).hasSize(MiniLmEmbedder.DIMENSION);
        assertThat(MiniLmEmbedder.cosine(actual, expected))
            .as("cosine for %s", fields[0])
            .isGreaterThan(0.9999);
        compared++;
      }
    }
    assertThat(compared).isEqualTo(3);
  }

  @Test
  void embeddingsHaveLengthOne() {
    float[] v = MiniLmEmbedder.shared().embed("a sentence of a few words");
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
  }
}
