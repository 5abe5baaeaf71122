package dev.genaiprocessors.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which ONNX Runtime the local engines accept: one that sends no telemetry. */
class LocalOnnxRuntimeTest {

  private static final Map<String, String> NOTHING_SET = Map.of();

  @Test
  void aReleaseFrom129OnIsRefusedWithWhatToChange() {
    for (String version : new String[] {"1.29.0", "1.29.1", "1.30.0", "2.0.0"}) {
      assertThat(LocalOnnxRuntime.telemetryRefusal(version, NOTHING_SET::get))
          .as(version)
          .contains("ONNX Runtime " + version)
          .contains("telemetry")
          .contains("com.microsoft.onnxruntime:onnxruntime:1.28.0")
          .contains("ORT_DISABLE_TELEMETRY=1");
    }
  }

  @Test
  void aReleaseBefore129IsAccepted() {
    for (String version : new String[] {"1.28.0", "1.22.0", "1.9.0", "0.5.0"}) {
      assertThat(LocalOnnxRuntime.telemetryRefusal(version, NOTHING_SET::get)).as(version).isNull();
    }
  }

  @Test
  void telemetryTurnedOffInTheEnvironmentIsAccepted() {
    assertThat(
            LocalOnnxRuntime.telemetryRefusal("1.29.0", Map.of("ORT_DISABLE_TELEMETRY", "1")::get))
        .isNull();
    assertThat(
            LocalOnnxRuntime.telemetryRefusal(
                "1.30.0", Map.of("ORT_TELEMETRY_DISABLED", " 1 ")::get))
        .isNull();
    // Only 1 is documented to turn it off.
    assertThat(
            LocalOnnxRuntime.telemetryRefusal("1.29.0", Map.of("ORT_DISABLE_TELEMETRY", "0")::get))
        .isNotNull();
    assertThat(
            LocalOnnxRuntime.telemetryRefusal("1.29.0", Map.of("ORT_DISABLE_TELEMETRY", "")::get))
        .isNotNull();
  }

  @Test
  void anUnknownVersionIsAccepted() {
    assertThat(LocalOnnxRuntime.telemetryRefusal(null, NOTHING_SET::get)).isNull();
    assertThat(LocalOnnxRuntime.telemetryRefusal("custom-build", NOTHING_SET::get)).isNull();
  }

  @Test
  void theOnnxRuntimeOnTheClassPathIsAccepted() {
    String version = OrtEnvironment.class.getPackage().getImplementationVersion();
    assertThat(version).isNotNull();
    assertThat(LocalOnnxRuntime.telemetryRefusal(version, NOTHING_SET::get)).isNull();
    assertThat(LocalOnnxRuntime.environment().getVersion()).isEqualTo(version);
  }

  /** Whatever its version says, the native library this build ships must not know the telemetry collector. */
  @Test
  void theNativeLibraryOnTheClassPathHasNoTelemetryCollector() throws IOException {
    String resource = "ai/onnxruntime/native/linux-x64/libonnxruntime.so";
    try (InputStream in = OrtEnvironment.class.getClassLoader().getResourceAsStream(resource)) {
      assumeTrue(in != null, "no " + resource + " on the class path");
      byte[] library = in.readAllBytes();
      assertThat(library.length).isGreaterThan(1_000_000);
      assertThat(indexOf(library, "events.data.microsoft.com".getBytes(StandardCharsets.US_ASCII)))
          .as("offset of the telemetry collector's address in " + resource)
          .isEqualTo(-1);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
