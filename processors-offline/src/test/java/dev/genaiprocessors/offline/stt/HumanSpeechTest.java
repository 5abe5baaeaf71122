package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.audio.Resampler;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.WavAudio;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sphinx4's grammar mode on real recorded human speech: the {@code cards} recordings of Debian's
 * {@code pocketsphinx-testdata} package, with their transcripts as the phrases. Skipped when the package
 * is not installed ({@code apt-get install pocketsphinx-testdata}).
 */
class HumanSpeechTest {

  private static final Logger log = LoggerFactory.getLogger(HumanSpeechTest.class);
  private static final Path CARDS = Path.of("/usr/share/pocketsphinx/test/data/cards");
  private static final Pattern LINE = Pattern.compile("^(.*?)\\s*\\((\\S+)\\)\\s*$");

  @Test
  void recognisesRecordedSpeakersExactly() throws IOException {
    assumeTrue(
        Files.isDirectory(CARDS),
        "pocketsphinx-testdata is not installed: no recorded speech at " + CARDS);
    Map<String, String> transcripts = new LinkedHashMap<>();
    for (String line : Files.readAllLines(CARDS.resolve("cards.transcription"))) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        transcripts.put(m.group(2), m.group(1).toLowerCase());
      }
    }
    assumeTrue(!transcripts.isEmpty(), "no transcripts in " + CARDS.resolve("cards.transcription"));
    SphinxRecognizer sphinx = SphinxRecognizer.grammar(new ArrayList<>(transcripts.values()));
    try {
      List<String> wrong = new ArrayList<>();
      for (Map.Entry<String, String> entry : transcripts.entrySet()) {
        Path wav = CARDS.resolve(entry.getKey() + ".wav");
        if (!Files.exists(wav)) {
          continue;
        }
        byte[] pcm = at16k(Wav.decode(Files.readAllBytes(wav)));
        ByteArrayOutputStream padded = new ByteArrayOutputStream();
        padded.writeBytes(pcm);
        padded.writeBytes(new byte[32000]);
        String text = sphinx.recognize(new ByteArrayInputStream(padded.toByteArray()), s -> {});
        log.info("cards {}: expected '{}', heard '{}'", entry.getKey(), entry.getValue(), text);
        if (!text.equals(entry.getValue())) {
          wrong.add(entry.getKey() + ": '" + text + "'");
        }
      }
      assertThat(wrong).isEmpty();
    } finally {
      sphinx.close();
    }
  }

  private static byte[] at16k(WavAudio audio) {
    if (audio.sampleRate() == 16000) {
      return audio.pcm16le();
    }
    Resampler resampler = new Resampler(audio.sampleRate(), 16000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(resampler.process(ByteBuffer.wrap(audio.pcm16le())));
    out.writeBytes(resampler.flush());
    return out.toByteArray();
  }
}
