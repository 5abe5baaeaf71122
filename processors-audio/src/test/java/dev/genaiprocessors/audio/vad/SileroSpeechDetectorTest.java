package dev.genaiprocessors.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.core.Part;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Silero detector on its own: the model, its state, its errors, and the optional dependency. */
class SileroSpeechDetectorTest {

  @Test
  void withoutOnnxRuntimeTheConstructorAndFactorySayWhatToAdd() throws Exception {
    // This module's classes and the core's, in a class loader that cannot see ONNX Runtime.
    URL audio = SileroSpeechDetector.class.getProtectionDomain().getCodeSource().getLocation();
    URL core = Part.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader isolated =
        new URLClassLoader(new URL[] {audio, core}, ClassLoader.getPlatformClassLoader())) {
      Class<?> detector = Class.forName(SileroSpeechDetector.class.getName(), true, isolated);
      assertThat(detector).isNotSameAs(SileroSpeechDetector.class);

      assertThatThrownBy(() -> newInstance(detector))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("optional dependency")
          .hasMessageContaining(
              "com.microsoft.onnxruntime:onnxruntime:" + SileroSpeechDetector.onnxRuntimeVersion())
          .hasMessageContaining("<artifactId>onnxruntime</artifactId>")
          .hasMessageContaining("EnergySpeechDetector")
          .hasCauseInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> invokeStatic(detector, "factory"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime");
    }
  }

  @Test
  void theVersionToAddIsTheOneTheBuildUsed() {
    assertThat(SileroSpeechDetector.onnxRuntimeVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion())
        .isEqualTo(SileroSpeechDetector.onnxRuntimeVersion());
  }

  private static Object newInstance(Class<?> type) throws Throwable {
    try {
      return type.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Object invokeStatic(Class<?> type, String method) throws Throwable {
    try {
      return type.getMethod(method).invoke(null);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void theModelShipsWithItsLicenceAndNotice() throws IOException {
    assertThat(resource("models/silero_vad_v5.onnx")).hasSize(2_327_524);
    assertThat(new String(resource("models/silero_vad_v5.LICENSE.txt"), StandardCharsets.UTF_8))
        .startsWith("MIT License")
        .contains("Copyright (c) 2020-present Silero Team");
    assertThat(new String(resource("models/silero_vad_v5.NOTICE.txt"), StandardCharsets.UTF_8))
        .contains(
            "Silero Team",
            "MIT",
            "@ricky0123/vad-web",
            "0.0.31",
            "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f");
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in =
        SileroSpeechDetectorTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void framesAre512SamplesAt16Kilohertz() {
    try (SileroSpeechDetector detector = new SileroSpeechDetector()) {
      assertThat(detector.sampleRate()).isEqualTo(16_000);
      assertThat(detector.frameSamples()).isEqualTo(512);
      assertThatThrownBy(() -> detector.speechProbability(new float[480]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("512");
    }
  }

  @Test
  void silenceAndNoiseAreNotSpeechAndRealSpeechIs() {
    float[] speech = Pcm.toFloats(JfkSpeech.pcm());
    try (SileroSpeechDetector detector = new SileroSpeechDetector()) {
      float[] quiet =
          probabilities(
              detector,
              SpeechSignals.concat(
                  SpeechSignals.silence(16_000, 1), SpeechSignals.noise(16_000, 1, -50, 3)));
      for (float p : quiet) {
        assertThat(p).isBetween(0f, 0.2f);
      }
      // "And so my fellow Americans", from 0.3 s to 2.0 s of the recording.
      float[] fellowAmericans = probabilities(detector, Arrays.copyOfRange(speech, 8_000, 32_000));
      assertThat(average(fellowAmericans)).isGreaterThan(0.6);
    }
  }

  @Test
  void eachDetectorKeepsItsOwnState() {
    float[] speech = Arrays.copyOf(Pcm.toFloats(JfkSpeech.pcm()), 512 * 60);
    float[] alone;
    try (SileroSpeechDetector detector = new SileroSpeechDetector()) {
      alone = probabilities(detector, speech);
    }
    float[] interleaved = new float[alone.length];
    try (SileroSpeechDetector a = new SileroSpeechDetector();
        SileroSpeechDetector b = new SileroSpeechDetector()) {
      float[] noise = SpeechSignals.noise(16_000, 1, -30, 9);
      for (int i = 0; i < alone.length; i++) {
        interleaved[i] = a.speechProbability(Arrays.copyOfRange(speech, i * 512, (i + 1) * 512));
        b.speechProbability(Arrays.copyOfRange(noise, (i % 30) * 512, (i % 30 + 1) * 512));
      }
    }
    assertThat(interleaved).containsExactly(alone);
    assertThat(average(alone)).isGreaterThan(0.3);
  }

  @Test
  void aClosedDetectorReadsNoFrame() {
    SileroSpeechDetector detector = new SileroSpeechDetector();
    detector.close();
    detector.close();

    assertThatThrownBy(() -> detector.speechProbability(new float[512]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static float[] probabilities(SpeechDetector detector, float[] signal) {
    int frame = detector.frameSamples();
    float[] out = new float[signal.length / frame];
    for (int i = 0; i < out.length; i++) {
      out[i] = detector.speechProbability(Arrays.copyOfRange(signal, i * frame, (i + 1) * frame));
    }
    return out;
  }

  private static double average(float[] values) {
    double sum = 0;
    for (float value : values) {
      sum += value;
    }
    return sum / values.length;
  }
}
