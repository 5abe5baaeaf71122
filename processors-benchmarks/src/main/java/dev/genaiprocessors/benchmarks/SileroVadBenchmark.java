package dev.genaiprocessors.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.WavAudio;
import dev.genaiprocessors.audio.vad.EnergySpeechDetector;
import dev.genaiprocessors.audio.vad.LocalOnnxRuntime;
import dev.genaiprocessors.audio.vad.SileroSpeechDetector;
import dev.genaiprocessors.audio.vad.SpeechDetector;
import dev.genaiprocessors.audio.vad.Vad;
import dev.genaiprocessors.core.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Sinks;

/**
 * The cost of voice activity detection on one 32 ms frame (512 samples at 16 kHz), frame after frame
 * through a real recording, the detector's state carried from one frame to the next and from the end of
 * the recording back to its start.
 *
 * <ul>
 *   <li>{@code silero}: {@link SileroSpeechDetector#speechProbability}, what {@code Vad} calls per frame.
 *   <li>{@code ortSessionRun}, the engine's floor: a bare {@link OrtSession#run} of the same model, with
 *       the same session options as the detector's, on tensors made once (the frame copied into the
 *       input tensor's buffer, the state tensors taking turns, the outputs pinned). What the detector
 *       adds is its figure minus this one.
 *   <li>{@code energy}: {@link EnergySpeechDetector} on the same frames, the dependency-free detector.
 *   <li>{@code vadSilero}: the whole {@link Vad} with the Silero detector, one 32 ms audio part ({@code
 *       audio/pcm;rate=16000}) in per operation, through a subscription that stays open: what a live
 *       session pays per input frame (PCM to floats, the detector, the speech state machine).
 * </ul>
 *
 * <p>The recording is the processors-audio test resource {@code speech/jfk.wav} (11 s of real speech,
 * 16 kHz mono, put there by that module's build); the {@code wav} parameter names another 16 kHz mono
 * WAV file. Modes: average time and {@link Mode#SampleTime} (p50, p99). Add {@code -prof gc} for the
 * bytes allocated per frame ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SileroVadBenchmark {

  /** Samples per frame: 32 ms at 16 kHz. */
  private static final int FRAME = SileroSpeechDetector.FRAME_SAMPLES;

  /** Samples of the previous frame that the model reads before each frame (Silero v5 at 16 kHz). */
  private static final int CONTEXT = 64;

  /** A 16 kHz mono WAV file of real speech, relative to the directory the benchmark runs in. */
  @Param({"processors-audio/target/test-classes/speech/jfk.wav"})
  public String wav;

  private float[][] frames;
  private int next;

  private SpeechDetector silero;
  private SpeechDetector energy;
  private Part[] parts;
  private Sinks.Many<Part> vadInput;
  private long vadOut;
  private @Nullable Throwable vadError;

  @Setup
  public void setUp() {
    WavAudio audio = read(Path.of(wav));
    frames = frames(audio);
    parts = new Part[frames.length];
    for (int f = 0; f < parts.length; f++) {
      byte[] pcm = Arrays.copyOfRange(audio.pcm16le(), f * FRAME * 2, (f + 1) * FRAME * 2);
      parts[f] = Part.bytes(pcm, "audio/pcm;rate=16000");
    }
    // Unicast sink, bounded by the benchmark: one part in flight, delivered on this thread.
    vadInput = Sinks.many().unicast().onBackpressureBuffer();
    Vad.builder()
        .detector(SileroSpeechDetector.factory())
        .build()
        .apply(vadInput.asFlux())
        .subscribe(part -> vadOut++, error -> vadError = error);
    silero = new SileroSpeechDetector();
    energy = new EnergySpeechDetector(SileroSpeechDetector.SAMPLE_RATE, Duration.ofMillis(32));
    if (energy.frameSamples() != FRAME) {
      throw new IllegalStateException("energy detector frames are " + energy.frameSamples());
    }
  }

  @TearDown
  public void tearDown() {
    silero.close();
    vadInput.tryEmitComplete();
  }

  private float[] nextFrame() {
    float[] frame = frames[next];
    next = next + 1 == frames.length ? 0 : next + 1;
    return frame;
  }

  /** The Silero detector on the next frame. */
  @Benchmark
  public float silero() {
    return silero.speechProbability(nextFrame());
  }

  /** Floor: a bare {@code OrtSession.run} of the same model on tensors made once. */
  @Benchmark
  public float ortSessionRun(Floor floor) {
    return floor.session.run(nextFrame());
  }

  /** The whole VAD with Silero on the next 32 ms part; returns the parts out so far. */
  @Benchmark
  public long vadSilero() {
    Part part = parts[next];
    next = next + 1 == parts.length ? 0 : next + 1;
    Sinks.EmitResult result = vadInput.tryEmitNext(part);
    if (result.isFailure() || vadError != null) {
      throw new IllegalStateException("the VAD did not take the part: " + result, vadError);
    }
    return vadOut;
  }

  /** Reference: the energy detector on the next frame. */
  @Benchmark
  public float energy() {
    return energy.speechProbability(nextFrame());
  }

  /** The floor's session, made only for the benchmark that uses it. */
  @State(Scope.Thread)
  public static class Floor {
    /** Session options of the floor; {@code detector} are the detector's own (see {@link BareSession}). */
    @Param({"detector"})
    public String options;

    BareSession session;

    @Setup
    public void setUp() {
      session = new BareSession(options);
    }

    @TearDown
    public void tearDown() {
      session.close();
    }
  }

  private static WavAudio read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "no WAV file at "
              + file.toAbsolutePath()
              + ": run the benchmark from the repository root after building processors-audio"
              + " (its build puts speech/jfk.wav under target/test-classes), or give -p wav=<16 kHz mono WAV>");
    }
    try {
      WavAudio audio = Wav.decode(Files.readAllBytes(file));
      if (audio.sampleRate() != SileroSpeechDetector.SAMPLE_RATE) {
        throw new IllegalStateException(
            file + " is at " + audio.sampleRate() + " Hz; the benchmark needs 16 kHz mono");
      }
      return audio;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The recording cut into whole frames of floats in [-1, 1), as {@code Vad} hands them over. */
  private static float[][] frames(WavAudio audio) {
    ByteBuffer pcm = ByteBuffer.wrap(audio.pcm16le()).order(ByteOrder.LITTLE_ENDIAN);
    int count = pcm.remaining() / 2 / FRAME;
    float[][] frames = new float[count][FRAME];
    for (int f = 0; f < count; f++) {
      for (int i = 0; i < FRAME; i++) {
        frames[f][i] = pcm.getShort((f * FRAME + i) * 2) / 32768f;
      }
    }
    return frames;
  }

  /**
   * The model in a session of its own, run with nothing around it: the least a frame can cost through
   * ONNX Runtime's Java API.
   */
  private static final class BareSession {
    private final OrtSession session;
    private final FloatBuffer input = directFloats(CONTEXT + FRAME);
    private final FloatBuffer output = directFloats(1);
    private final OnnxTensor[] tensors = new OnnxTensor[5];
    private final Map<String, OnnxTensor>[] inputs;
    private final Map<String, OnnxTensor>[] outputs;
    private int current;

    @SuppressWarnings("unchecked")
    BareSession(String name) {
      try (OrtSession.SessionOptions options = options(name)) {
        session =
            LocalOnnxRuntime.openSession("Silero VAD v5 (floor)", BareSession::model, options);
        OrtEnvironment env = LocalOnnxRuntime.environment();
        OnnxTensor in = OnnxTensor.createTensor(env, input, new long[] {1, CONTEXT + FRAME});
        OnnxTensor out = OnnxTensor.createTensor(env, output, new long[] {1, 1});
        OnnxTensor rate = OnnxTensor.createTensor(env, (long) SileroSpeechDetector.SAMPLE_RATE);
        OnnxTensor state0 =
            OnnxTensor.createTensor(env, directFloats(2 * 128), new long[] {2, 1, 128});
        OnnxTensor state1 =
            OnnxTensor.createTensor(env, directFloats(2 * 128), new long[] {2, 1, 128});
        tensors[0] = in;
        tensors[1] = out;
        tensors[2] = rate;
        tensors[3] = state0;
        tensors[4] = state1;
        inputs =
            new Map[] {
              Map.of("input", in, "state", state0, "sr", rate),
              Map.of("input", in, "state", state1, "sr", rate)
            };
        outputs =
            new Map[] {
              Map.of("output", out, "stateN", state1), Map.of("output", out, "stateN", state0)
            };
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      }
    }

    float run(float[] frame) {
      input.put(CONTEXT, frame);
      try (OrtSession.Result ignored = session.run(inputs[current], outputs[current])) {
        current ^= 1;
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      }
      return output.get(0);
    }

    void close() {
      for (OnnxTensor t : tensors) {
        if (t != null) {
          t.close();
        }
      }
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * The floor's session options. {@code detector}: one intra-op and one inter-op thread, sequential
     * execution, every graph optimisation (what {@code SileroSpeechDetector} uses). The others, to
     * compare: {@code default} (ONNX Runtime's own: an intra-op thread per core), and {@code detector}
     * with only basic or no graph optimisation, without the CPU memory arena, or without memory
     * patterns.
     */
    private static OrtSession.SessionOptions options(String name) throws OrtException {
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      if (name.equals("default")) {
        return options;
      }
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      switch (name) {
        case "detector" -> {}
        case "basic" -> options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
        case "none" -> options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        case "noarena" -> options.setCPUArenaAllocator(false);
        case "nopattern" -> options.setMemoryPatternOptimization(false);
        default ->
            throw new IllegalArgumentException(
                "unknown options '"
                    + name
                    + "': detector, default, basic, none, noarena, nopattern");
      }
      return options;
    }

    private static byte[] model() {
      try (InputStream in =
          SileroSpeechDetector.class
              .getClassLoader()
              .getResourceAsStream("models/silero_vad_v5.onnx")) {
        if (in == null) {
          throw new IllegalStateException("models/silero_vad_v5.onnx is not on the class path");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static FloatBuffer directFloats(int size) {
      return ByteBuffer.allocateDirect(Float.BYTES * size)
          .order(ByteOrder.nativeOrder())
          .asFloatBuffer();
    }
  }
}
