package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.offline.SyntheticSpeech;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hostile audio fed to {@link SphinxRecognizer}: clipped at either full scale, alternating extremes,
 * digital silence, a few samples, nothing. Each gives an empty transcript, never an exception, and the
 * speech that follows is still recognised exactly, whether the hostile audio is the first the recognizer
 * ever hears (which broke Sphinx4's live CMN for good) or comes between phrases. Audio that ends in
 * half a sample, a stream that fails and an interim callback that throws are typed errors, and the
 * recognizer keeps working after them.
 */
class SphinxHostileAudioTest {

  private static final Logger log = LoggerFactory.getLogger(SphinxHostileAudioTest.class);

  private static byte[] goodbye;
  private static byte[] joke;

  @BeforeAll
  static void speech() {
    goodbye = SyntheticSpeech.pcm("Goodbye.", 0.3, 1.0);
    joke = SyntheticSpeech.pcm("Tell me a joke.", 0.3, 1.0);
  }

  /** The hostile inputs, by name: about one second each where the length matters. */
  static Map<String, byte[]> hostile() {
    Map<String, byte[]> inputs = new LinkedHashMap<>();
    inputs.put("clipped high", pcm(16000, i -> 32767));
    inputs.put("clipped low", pcm(16000, i -> -32768));
    inputs.put("alternating full scale", pcm(16000, i -> i % 2 == 0 ? 32767 : -32768));
    inputs.put("digital silence", new byte[32000]);
    inputs.put("three samples", pcm(3, i -> 12000 * (i - 1)));
    inputs.put("empty", new byte[0]);
    return inputs;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "clipped high",
        "clipped low",
        "alternating full scale",
        "digital silence",
        "three samples",
        "empty"
      })
  void hostileAudioFirstGivesNothingAndSpeechAfterItIsStillRecognised(String name)
      throws IOException {
    try (SphinxRecognizer sphinx = SphinxRecognizer.grammar(SphinxRecognizerTest.PHRASES)) {
      assertThat(sphinx.recognize(new ByteArrayInputStream(hostile().get(name)), s -> {}))
          .as("%s, the first audio this recognizer hears", name)
          .isEmpty();
      assertThat(sphinx.recognize(new ByteArrayInputStream(goodbye), s -> {}))
          .as("speech after %s", name)
          .isEqualTo("Goodbye.");
      assertThat(sphinx.recognize(new ByteArrayInputStream(hostile().get(name)), s -> {}))
          .as("%s again, after speech", name)
          .isEmpty();
      assertThat(sphinx.recognize(new ByteArrayInputStream(joke), s -> {}))
          .as("speech after %s again", name)
          .isEqualTo("Tell me a joke.");
    }
  }

  @Test
  void everyHostileInputBetweenPhrasesLeavesRecognitionExact() throws IOException {
    try (SphinxRecognizer sphinx = SphinxRecognizer.grammar(SphinxRecognizerTest.PHRASES)) {
      assertThat(sphinx.recognize(new ByteArrayInputStream(joke), s -> {}))
          .isEqualTo("Tell me a joke.");
      for (Map.Entry<String, byte[]> input : hostile().entrySet()) {
        String heard = sphinx.recognize(new ByteArrayInputStream(input.getValue()), s -> {});
        log.info("{}: '{}'", input.getKey(), heard);
        assertThat(heard).as(input.getKey()).isEmpty();
        assertThat(sphinx.recognize(new ByteArrayInputStream(goodbye), s -> {}))
            .as("speech after %s", input.getKey())
            .isEqualTo("Goodbye.");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 319, 31999})
  void audioEndingInHalfASampleIsATypedErrorAndSpeechAfterItIsStillRecognised(int bytes)
      throws IOException {
    byte[] odd = new byte[bytes];
    System.arraycopy(goodbye, 0, odd, 0, Math.min(bytes, goodbye.length));
    try (SphinxRecognizer sphinx = SphinxRecognizer.grammar(SphinxRecognizerTest.PHRASES)) {
      assertThatThrownBy(() -> sphinx.recognize(new ByteArrayInputStream(odd), s -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "the audio ends in half a sample: "
                  + bytes
                  + " bytes is an odd number for 16-bit PCM, two bytes a sample; send whole samples");

      assertThat(sphinx.recognize(new ByteArrayInputStream(goodbye), s -> {}))
          .isEqualTo("Goodbye.");
    }
  }

  @Test
  void aStreamThatFailsMidUtteranceIsAnIOExceptionAndTheNextUtteranceIsRecognised()
      throws IOException {
    try (SphinxRecognizer sphinx = SphinxRecognizer.grammar(SphinxRecognizerTest.PHRASES)) {
      InputStream failing =
          new InputStream() {
            private final ByteArrayInputStream audio =
                new ByteArrayInputStream(joke, 0, joke.length / 2);

            @Override
            public int read() throws IOException {
              byte[] one = new byte[1];
              return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              int n = audio.read(b, off, len);
              if (n < 0) {
                throw new IOException("the microphone went away");
              }
              return n;
            }
          };
      assertThatThrownBy(() -> sphinx.recognize(failing, s -> {}))
          .isInstanceOf(IOException.class)
          .hasMessage("the microphone went away");

      assertThat(sphinx.recognize(new ByteArrayInputStream(goodbye), s -> {}))
          .isEqualTo("Goodbye.");
    }
  }

  @Test
  void anInterimCallbackThatThrowsGetsItsOwnExceptionAndTheNextUtteranceIsRecognised()
      throws IOException {
    try (SphinxRecognizer sphinx = SphinxRecognizer.grammar(SphinxRecognizerTest.PHRASES)) {
      IllegalStateException thrown = new IllegalStateException("the caller's callback failed");
      assertThatThrownBy(
              () ->
                  sphinx.recognize(
                      new ByteArrayInputStream(joke),
                      s -> {
                        throw thrown;
                      }))
          .isSameAs(thrown);

      assertThat(sphinx.recognize(new ByteArrayInputStream(goodbye), s -> {}))
          .isEqualTo("Goodbye.");
    }
  }

  private static byte[] pcm(int samples, IntUnaryOperator sample) {
    byte[] pcm = new byte[2 * samples];
    for (int i = 0; i < samples; i++) {
      int s = sample.applyAsInt(i);
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }
}
