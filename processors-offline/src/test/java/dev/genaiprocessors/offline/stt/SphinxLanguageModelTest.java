package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.offline.OfflineMetadata;
import dev.genaiprocessors.offline.SyntheticSpeech;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sphinx4's open-vocabulary mode: demo quality, and it says so; clear synthetic speech comes through. */
class SphinxLanguageModelTest {

  private static final Logger log = LoggerFactory.getLogger(SphinxLanguageModelTest.class);

  @Test
  void transcribesClearSpeechWithoutAGrammarAndIsMarkedDemoQuality() throws IOException {
    SphinxRecognizer sphinx = SphinxRecognizer.languageModel();
    try {
      long start = System.nanoTime();
      sphinx.load().block();
      long loaded = System.nanoTime();
      byte[] audio = SyntheticSpeech.pcm("what is the weather like today", 0.3, 1.0);
      List<String> interims = new ArrayList<>();
      String text = sphinx.recognize(new ByteArrayInputStream(audio), interims::add);
      log.info(
          "LM mode: loaded in {} ms; '{}' from {} s of audio in {} ms ({} interims)",
          (loaded - start) / 1_000_000,
          text,
          audio.length / 32000.0,
          (System.nanoTime() - loaded) / 1_000_000,
          interims.size());

      assertThat(text).contains("weather");
      assertThat(sphinx.metadata())
          .containsEntry(OfflineMetadata.QUALITY, "demo")
          .containsEntry(
              OfflineMetadata.MODEL, "sphinx4 en-us (n-gram language model, open vocabulary)");
    } finally {
      sphinx.close();
    }
  }
}
