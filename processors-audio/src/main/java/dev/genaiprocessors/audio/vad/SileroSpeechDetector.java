package dev.genaiprocessors.audio.vad;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A speech detector running the Silero VAD v5 network on ONNX Runtime: it tells speech from other
 * sounds (music, typing, noise) far better than {@link EnergySpeechDetector}.
 *
 * <pre>{@code
 * Vad vad = Vad.builder().detector(SileroSpeechDetector.factory()).build();
 * }</pre>
 *
 * <p><b>Model.</b> Silero VAD v5 (MIT licence, by the Silero Team; the licence and an attribution
 * notice ship beside the model in the jar, under {@code models/}), loaded from the class path resource
 * {@code models/silero_vad_v5.onnx}. Frames are {@value #FRAME_SAMPLES} samples at
 * {@value #SAMPLE_RATE} Hz (32 ms); each call feeds the network those samples with the last 64 samples
 * of the previous frame put before them, as the upstream wrapper does, and carries the network's
 * recurrent state to the next frame.
 *
 * <p><b>Dependency.</b> ONNX Runtime ({@code com.microsoft.onnxruntime:onnxruntime}) is an
 * <em>optional</em> dependency of processors-audio: add it to your build to use this class. Without it,
 * the constructor and {@link #factory()} throw an {@link IllegalStateException} that names the
 * coordinates to add. Use the version this project is built with (1.28.0): from 1.29 on, ONNX Runtime
 * sends usage telemetry and, in 1.29.0, crashes a JVM started with a long command line; {@link
 * LocalOnnxRuntime} refuses such a version unless its telemetry is turned off, and says so.
 *
 * <p><b>Offline.</b> Nothing is read from or sent to the network, and nothing is written to the home
 * directory; ONNX Runtime unpacks its native library into a fresh folder under {@code java.io.tmpdir}.
 * Loading the model is logged once, at INFO, with the time it took. No JVM flag is needed: the model
 * loads and runs on any thread, the {@code java} launcher's main thread included.
 *
 * <p><b>Threads and cost.</b> The model is loaded once per JVM, on first use, and its ONNX Runtime
 * session is shared by every detector (a session allows concurrent runs); each detector keeps its own
 * state and tensors. {@link #speechProbability} runs the network on the calling thread: about 0.08 ms
 * of CPU per 32 ms frame (p99 about 0.2 ms, on a shared 2-core virtual machine; {@code
 * SileroVadBenchmark}), so one core has room for the frames of a few hundred streams. That is
 * computation, not blocking: it is fine on a parallel scheduler's thread, but a source whose thread must
 * not be held should {@code publishOn} a parallel scheduler before the {@link Vad}. Loading the model
 * reads a 2.3 MB resource: call {@link #factory()} when assembling the pipeline, not on a non-blocking
 * thread. A detector is used by one thread at a time; {@link #close()} may come from another thread
 * (a cancellation) and waits for a frame in progress.
 */
public final class SileroSpeechDetector implements SpeechDetector {

  /** The rate the network reads: {@value} Hz. */
  public static final int SAMPLE_RATE = SileroModel.SAMPLE_RATE;

  /** Samples in one frame: {@value} (32 ms). */
  public static final int FRAME_SAMPLES = SileroModel.FRAME_SAMPLES;

  private static final String ONNX_RUNTIME_CLASS = "ai.onnxruntime.OrtEnvironment";
  private static final String VERSION_RESOURCE =
      "dev/genaiprocessors/audio/vad/onnxruntime.properties";

  private final SileroModel.Stream stream;
  private boolean closed;

  /**
   * A detector with fresh state, on the shared model (loaded now if it is not yet).
   *
   * @throws IllegalStateException when ONNX Runtime is not on the class path (the message names the
   *     Maven coordinates to add), is a version that sends usage telemetry (see {@link LocalOnnxRuntime}),
   *     or the model cannot be loaded
   */
  public SileroSpeechDetector() {
    requireOnnxRuntime(SileroSpeechDetector.class.getClassLoader());
    this.stream = SileroModel.shared().newStream();
  }

  /**
   * A factory of detectors for {@link Vad.Builder#detector}, one per stream. It checks for ONNX Runtime
   * and loads the model now, so that a missing dependency fails when the pipeline is assembled and no
   * stream waits for the model.
   *
   * @return a factory that makes a new Silero detector per call
   * @throws IllegalStateException when ONNX Runtime is not on the class path, is a version that sends
   *     usage telemetry (see {@link LocalOnnxRuntime}), or the model cannot be loaded
   */
  public static Supplier<SpeechDetector> factory() {
    requireOnnxRuntime(SileroSpeechDetector.class.getClassLoader());
    SileroModel.shared();
    return SileroSpeechDetector::new;
  }

  @Override
  public int sampleRate() {
    return SAMPLE_RATE;
  }

  @Override
  public int frameSamples() {
    return FRAME_SAMPLES;
  }

  @Override
  public synchronized float speechProbability(float[] frame) {
    if (frame.length != FRAME_SAMPLES) {
      throw new IllegalArgumentException(
          "Silero VAD reads frames of "
              + FRAME_SAMPLES
              + " samples at 16 kHz, got "
              + frame.length);
    }
    if (closed) {
      throw new IllegalStateException("this SileroSpeechDetector is closed");
    }
    return stream.run(frame);
  }

  /** Frees this detector's tensors; the shared model stays loaded. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      stream.close();
    }
  }

  /**
   * Checks that ONNX Runtime can be loaded through this class loader.
   *
   * @throws IllegalStateException when it cannot, naming the dependency to add
   */
  static void requireOnnxRuntime(@Nullable ClassLoader loader) {
    try {
      Class.forName(ONNX_RUNTIME_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      String version = onnxRuntimeVersion();
      String maven =
          version == null
              ? ""
              : " (Maven: <dependency><groupId>com.microsoft.onnxruntime</groupId>"
                  + "<artifactId>onnxruntime</artifactId><version>"
                  + version
                  + "</version></dependency>)";
      throw new IllegalStateException(
          "Silero VAD runs on ONNX Runtime, an optional dependency of"
              + " processors-audio that is not on the class path: add com.microsoft.onnxruntime:onnxruntime"
              + (version == null ? "" : ":" + version)
              + " to your build"
              + maven
              + ", or use EnergySpeechDetector, which needs no dependency",
          e);
    }
  }

  /** The ONNX Runtime version processors-audio was built and tested with, or null when unknown. */
  static @Nullable String onnxRuntimeVersion() {
    try (InputStream in =
        SileroSpeechDetector.class.getClassLoader().getResourceAsStream(VERSION_RESOURCE)) {
      if (in == null) {
        return null;
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "").trim();
      return version.isEmpty() || version.startsWith("$") ? null : version;
    } catch (IOException e) {
      return null;
    }
  }
}
