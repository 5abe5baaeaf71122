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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Stream}.
 *
 * <p><b>Cost per frame</b> (measured by {@code SileroVadBenchmark}; BENCHMARKS.md, issue 21, 1b). The
 * graph is first specialised to 16 kHz and 576-sample inputs ({@link SileroGraph}), which lets ONNX
 * Runtime resolve the model's sample-rate branch once, at load, instead of on every frame. The session
 * options, each measured on one 32 ms frame at a time:
 *
 * <ul>
 *   <li>one intra-op and one inter-op thread, sequential execution: a call runs on the calling thread,
 *       with no hand-off. ONNX Runtime's default, a pool of one intra-op thread per core, finished a
 *       frame in about the same wall time on a 2-core machine, with a second thread that works (and
 *       spins between calls) on a core that other streams need;
 *   <li>every graph optimisation ({@code ALL_OPT}, ONNX Runtime's default, set here so that it is not
 *       lost): with none, a frame costs about twice as much; with the basic ones only, about the same;
 *   <li>the CPU memory arena and memory patterns left on: turning either off made no difference.
 * </ul>
 *
 * <p>The tensors are made once per stream (below), so a frame allocates only what ONNX Runtime's Java
 * API allocates per call (about 450 bytes).
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

  private static final Logger log = LoggerFactory.getLogger(SileroModel.class);

  private final OrtEnvironment environment;
  private final OrtSession session;

  /** Whether the session takes the sample rate as an input (the graph as shipped) or has it built in. */
  private final boolean takesRate;

  private SileroModel(OrtEnvironment environment, OrtSession session, boolean takesRate) {
    this.environment = environment;
    this.session = session;
    this.takesRate = takesRate;
  }

  /**
   * The model, loaded from the class path on the first call (file I/O: call it where blocking is allowed).
   *
   * @throws IllegalStateException when ONNX Runtime refuses the model; {@link IllegalArgumentException}
   *     when the resource is not the Silero VAD v5 model this jar ships
   */
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
    return load(SileroGraph.specialise(modelBytes()), false);
  }

  /**
   * A model of its own (not the shared one) on these bytes: the specialised graph, or the graph as
   * shipped when {@code takesRate} (tests compare the two).
   *
   * @throws IllegalStateException when ONNX Runtime refuses the model
   */
  static SileroModel load(byte[] model, boolean takesRate) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = LocalOnnxRuntime.openSession("Silero VAD v5", () -> model, options);
      boolean hasRate;
      try {
        hasRate = session.getInputNames().contains(SileroGraph.RATE_INPUT);
      } catch (RuntimeException e) {
        closeQuietly(session);
        throw e;
      }
      if (hasRate != takesRate) {
        closeQuietly(session);
        throw new IllegalStateException(
            "the Silero VAD graph "
                + (hasRate ? "still takes" : "does not take")
                + " the sample rate as an input");
      }
      return new SileroModel(LocalOnnxRuntime.environment(), session, takesRate);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime could not load the Silero VAD model: " + e.getMessage(), e);
    }
  }

  /** Closes this model's session; only for models of their own ({@link #load(byte[], boolean)}). */
  void close() {
    closeQuietly(session);
  }

  /** The model as shipped, from the class path. */
  static byte[] modelBytes() {
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
    private final @Nullable OnnxTensor rateTensor;
    private final OnnxTensor[] states = new OnnxTensor[2];
    private final List<Map<String, OnnxTensor>> inputs;
    private final List<Map<String, OnnxTensor>> outputs;

    /** Which of {@link #states} holds the current state. */
    private int current;

    private Stream() {
      OnnxTensor in = null;
      OnnxTensor out = null;
      OnnxTensor rate = null;
      try {
        in =
            OnnxTensor.createTensor(
                environment, input, new long[] {1, CONTEXT_SAMPLES + FRAME_SAMPLES});
        out = OnnxTensor.createTensor(environment, output, new long[] {1, 1});
        rate = takesRate ? OnnxTensor.createTensor(environment, (long) SAMPLE_RATE) : null;
        for (int i = 0; i < 2; i++) {
          states[i] =
              OnnxTensor.createTensor(
                  environment, directFloats(STATE_SIZE), new long[] {2, 1, 128});
        }
      } catch (OrtException e) {
        closeQuietly(in);
        closeQuietly(out);
        closeQuietly(rate);
        closeQuietly(states[0]);
        closeQuietly(states[1]);
        throw new IllegalStateException(
            "ONNX Runtime could not make the Silero VAD tensors: " + e.getMessage(), e);
      }
      inputTensor = in;
      outputTensor = out;
      rateTensor = rate;
      inputs = List.of(inputsWith(states[0]), inputsWith(states[1]));
      outputs =
          List.of(
              Map.of("output", outputTensor, "stateN", states[1]),
              Map.of("output", outputTensor, "stateN", states[0]));
    }

    private Map<String, OnnxTensor> inputsWith(OnnxTensor state) {
      return rateTensor == null
          ? Map.of("input", inputTensor, "state", state)
          : Map.of("input", inputTensor, "state", state, SileroGraph.RATE_INPUT, rateTensor);
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

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      log.debug("closing a Silero VAD session failed", e);
    }
  }

  private static FloatBuffer directFloats(int size) {
    return ByteBuffer.allocateDirect(Float.BYTES * size)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }
}
