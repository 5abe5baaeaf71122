package dev.genaiprocessors.audio.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Silero VAD v5 network loaded in ONNX Runtime, shared by every {@link SileroSpeechDetector} of
 * the JVM. This is the only class that names ONNX Runtime types: it is loaded only after
 * {@link SileroSpeechDetector} has checked that ONNX Runtime is on the class path.
 *
 * <p>One {@link OrtEnvironment} (the process-wide one, from {@link LocalOnnxRuntime}, which makes sure the
 * ONNX Runtime on the class path sends no telemetry and cannot crash the JVM on a long command line) and
 * one {@link OrtSession}, made on first use (logged at INFO with the time it took) and kept for the life
 * of the JVM. ONNX Runtime allows concurrent {@code run} calls on one session,
 * so streams on different threads share it; the network's recurrent state lives in each {@link
 * Stream}. The session runs each call on the calling thread (one intra-op and one inter-op thread):
 * a 512-sample frame costs well under a millisecond, and more threads would only add hand-offs.
 */
final class SileroModel {

  static final String MODEL_RESOURCE = "models/silero_vad_v5.onnx";
  static final int SAMPLE_RATE = 16_000;
  static final int FRAME_SAMPLES = 512;

  /** Samples of the previous frame put before each frame, as the upstream wrapper does at 16 kHz. */
  static final int CONTEXT_SAMPLES = 64;

  private static final int STATE_SIZE = 2 * 128;

  private static final Object LOCK = new Object();
  private static volatile @Nullable SileroModel shared;

  private final OrtEnvironment environment;
  private final OrtSession session;

  private SileroModel(OrtEnvironment environment, OrtSession session) {
    this.environment = environment;
    this.session = session;
  }

  /** The model, loaded from the class path on the first call (file I/O: call it where blocking is allowed). */
  static SileroModel shared() {
    SileroModel model = shared;
    if (model == null) {
      synchronized (LOCK) {
        model = shared;
        if (model == null) {
          model = load();
          shared = model;
        }
      }
    }
    return model;
  }

  private static SileroModel load() {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      OrtSession session =
          LocalOnnxRuntime.openSession("Silero VAD v5", SileroModel::modelBytes, options);
      return new SileroModel(LocalOnnxRuntime.environment(), session);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime could not load the Silero VAD model: " + e.getMessage(), e);
    }
  }

  private static byte[] modelBytes() {
    try (InputStream in = SileroModel.class.getClassLoader().getResourceAsStream(MODEL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the Silero VAD model '"
                + MODEL_RESOURCE
                + "' is not on the class path;"
                + " it ships inside the processors-audio jar, where its build puts it (npm pack of"
                + " @ricky0123/vad-web, checked against its sha256); when building processors-audio yourself,"
                + " build it with npm on the PATH");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the Silero VAD model '" + MODEL_RESOURCE + "'", e);
    }
  }

  /** A new stream with the network's state at zero. */
  Stream newStream() {
    return new Stream();
  }

  /**
   * The state of one stream: its tensors, over direct buffers made once, so that a frame allocates
   * nothing but the call's result. Two state tensors take turns as the input state and the pinned
   * output state. Not thread-safe; {@link SileroSpeechDetector} serialises access.
   */
  final class Stream {
    private final FloatBuffer input = directFloats(CONTEXT_SAMPLES + FRAME_SAMPLES);
    private final FloatBuffer output = directFloats(1);
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final OnnxTensor rateTensor;
    private final OnnxTensor[] states = new OnnxTensor[2];
    private final List<Map<String, OnnxTensor>> inputs;
    private final List<Map<String, OnnxTensor>> outputs;

    /** Which of {@link #states} holds the current state. */
    private int current;

    private Stream() {
      try {
        inputTensor =
            OnnxTensor.createTensor(
                environment, input, new long[] {1, CONTEXT_SAMPLES + FRAME_SAMPLES});
        outputTensor = OnnxTensor.createTensor(environment, output, new long[] {1, 1});
        rateTensor = OnnxTensor.createTensor(environment, (long) SAMPLE_RATE);
        for (int i = 0; i < 2; i++) {
          states[i] =
              OnnxTensor.createTensor(
                  environment, directFloats(STATE_SIZE), new long[] {2, 1, 128});
        }
      } catch (OrtException e) {
        close();
        throw new IllegalStateException(
            "ONNX Runtime could not make the Silero VAD tensors: " + e.getMessage(), e);
      }
      inputs =
          List.of(
              Map.of("input", inputTensor, "state", states[0], "sr", rateTensor),
              Map.of("input", inputTensor, "state", states[1], "sr", rateTensor));
      outputs =
          List.of(
              Map.of("output", outputTensor, "stateN", states[1]),
              Map.of("output", outputTensor, "stateN", states[0]));
    }

    /** Runs one frame of {@link #FRAME_SAMPLES} samples and returns the speech probability. */
    float run(float[] frame) {
      for (int i = 0; i < CONTEXT_SAMPLES; i++) {
        input.put(i, input.get(FRAME_SAMPLES + i));
      }
      input.put(CONTEXT_SAMPLES, frame);
      try (OrtSession.Result ignored = session.run(inputs.get(current), outputs.get(current))) {
        current ^= 1;
      } catch (OrtException e) {
        throw new IllegalStateException(
            "ONNX Runtime failed on a Silero VAD frame: " + e.getMessage(), e);
      }
      return Math.max(0f, Math.min(1f, output.get(0)));
    }

    /** Closes the stream's tensors; the shared session stays open. */
    void close() {
      closeQuietly(inputTensor);
      closeQuietly(outputTensor);
      closeQuietly(rateTensor);
      closeQuietly(states[0]);
      closeQuietly(states[1]);
    }
  }

  private static void closeQuietly(@Nullable OnnxTensor tensor) {
    if (tensor != null) {
      tensor.close();
    }
  }

  private static FloatBuffer directFloats(int size) {
    return ByteBuffer.allocateDirect(Float.BYTES * size)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }
}
