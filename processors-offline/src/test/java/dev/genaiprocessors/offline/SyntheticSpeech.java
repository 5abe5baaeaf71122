package dev.genaiprocessors.offline;

import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import dev.genaiprocessors.testkit.audio.TestSignals;
import java.io.ByteArrayOutputStream;

/** Speech made with FreeTTS for tests, with silence around it: real speech audio, the same every time. */
public final class SyntheticSpeech {

  private static final FreeTtsSynthesizer VOICE = FreeTtsSynthesizer.kevin16();

  private SyntheticSpeech() {}

  /** 16 kHz PCM of the text, with {@code before} and {@code after} seconds of silence. Blocking. */
  public static byte[] pcm(String text, double before, double after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(TestSignals.silence(FreeTtsSynthesizer.SAMPLE_RATE, before));
    VOICE.synthesize(
        text,
        (pcm, rate) -> {
          out.writeBytes(pcm);
          return true;
        });
    out.writeBytes(TestSignals.silence(FreeTtsSynthesizer.SAMPLE_RATE, after));
    return out.toByteArray();
  }
}
