package dev.genaiprocessors.offline.stt;

import dev.genaiprocessors.audio.speech.SpeechRecognizer;
import dev.genaiprocessors.offline.OfflineMetadata;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.StreamSpeechRecognizer;
import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.feature.DeltasFeatureExtractor;
import edu.cmu.sphinx.frontend.feature.LiveCMN;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Speech recognition with CMU Sphinx4, in pure Java, with its US-English acoustic model, dictionary
 * and language model from the {@code de.sciss:sphinx4-data} jar: no network, no key, no native code.
 *
 * <p><b>Two modes.</b>
 * <ul>
 *   <li>{@link #grammar(List)}: the recognizer can only hear the phrases it is given (a JSGF grammar
 *       made from them). It is fast (a few tenths of a second for a sentence on one core) and, for
 *       speech that is one of the phrases, exact; the final text is the phrase as given, with its case
 *       and punctuation. Speech that is none of them comes out as the closest phrase, a piece of one, or
 *       nothing. This is the mode for demos, examples and tests.
 *   <li>{@link #languageModel()}: open vocabulary, with Sphinx4's n-gram language model. <b>Demo
 *       quality</b>: about two to three times slower than real time on two cores, and often wrong on
 *       real speech (clear synthetic speech fares better). Its transcriptions say so in their metadata:
 *       {@code quality=demo}.
 * </ul>
 *
 * <p><b>Loading.</b> The models load on the first {@link #recognize} call, or ahead of it with {@link
 * #load()}: about 3 s for the grammar mode, longer for the language model (29 MB more), logged at INFO
 * with the time it took. The grammar is written to a temporary file for Sphinx4 to read, and deleted
 * once loaded.
 *
 * <p><b>Threads and blocking.</b> Every method blocks except {@link #load()} and the accessors. One
 * Sphinx4 decoder is made per instance and it is not thread-safe, so calls of {@link #recognize} are
 * serialised: a second caller waits for the first. Use one instance per concurrent stream when streams
 * must not wait for each other (each holds its own models, about 150 MB of heap in the grammar mode).
 *
 * <p><b>Adaptation.</b> One recognizer decodes utterance after utterance without reloading, and
 * Sphinx4's live cepstral mean normalisation keeps adapting to the audio it has heard. That helps with
 * one speaker and one microphone; when the voice changes completely (one synthetic voice, then
 * another) recognition can suffer for a while: use one recognizer per speaker or source.
 *
 * <p><b>Logging.</b> Sphinx4's java.util.logging output is sent to SLF4J and kept quiet (see the
 * {@code edu.cmu.sphinx} loggers: WARN for its severe errors, DEBUG and TRACE for the rest).
 *
 * <p><b>Audio.</b> 16 kHz, 16-bit little-endian mono PCM. Sphinx4 1.0.0 can fail in the middle of
 * speech when the stream ends there; {@link SpeechToText} ends each utterance with a second of silence.
 * Audio without speech gives an empty transcript and leaves the recognizer as it was (see {@link
 * #recognize}): Sphinx4's own live CMN broke for good when the first audio it heard had no speech in it,
 * so this class puts a corrected one ({@code LiveCepstralMean}) in its place.
 *
 * <p>Licence: Sphinx4 and its models are under a BSD-style licence (Carnegie Mellon University, and
 * Alpha Cephei for the acoustic model); see {@code META-INF/licenses/} in this module's jar.
 */
public final class SphinxRecognizer implements SpeechRecognizer {

  /** The sample rate Sphinx4's US-English model reads: {@value} Hz. */
  public static final int SAMPLE_RATE = 16000;

  private static final Logger log = LoggerFactory.getLogger(SphinxRecognizer.class);
  private static final String MODELS = "resource:/edu/cmu/sphinx/models/en-us/";

  /** Frames (10 ms each) decoded between interim hypotheses. */
  private static final int FRAMES_PER_HYPOTHESIS = 25;

  private static final String UNKNOWN_WORD = "<unk>";

  private final @Nullable SphinxGrammar grammar;
  private final Map<String, Object> metadata;
  private @Nullable Decoder decoder;
  private boolean closed;

  private SphinxRecognizer(@Nullable SphinxGrammar grammar) {
    this.grammar = grammar;
    this.metadata =
        grammar != null
            ? Map.of(
                OfflineMetadata.MODEL,
                "sphinx4 en-us (JSGF grammar of " + grammar.size() + " phrases)")
            : Map.of(
                OfflineMetadata.MODEL,
                "sphinx4 en-us (n-gram language model, open vocabulary)",
                OfflineMetadata.QUALITY,
                "demo");
  }

  /**
   * A recognizer that hears only these phrases. Each phrase is lower-cased and stripped of punctuation
   * for the grammar ({@code "What's the time?"} becomes {@code what's the time}); a recognised phrase is
   * returned as given. Reads the 3 MB pronunciation dictionary now, to check the words: blocking, call it
   * when assembling a pipeline.
   *
   * @param phrases the phrases, at least one; duplicates (after normalising) count once
   * @return a grammar recognizer for the phrases
   * @throws IllegalArgumentException when there are no phrases, a phrase has no words, or a word is not
   *     in the dictionary (numbers must be spelled out); the message lists them all
   */
  public static SphinxRecognizer grammar(List<String> phrases) {
    Objects.requireNonNull(phrases, "phrases");
    return new SphinxRecognizer(SphinxGrammar.of(List.copyOf(phrases)));
  }

  /**
   * An open-vocabulary recognizer with Sphinx4's n-gram language model. <b>Demo quality</b>: slow (two
   * to three times slower than real time on two cores) and often wrong; its transcriptions carry {@code
   * quality=demo}. Loads nothing until used.
   *
   * @return an open-vocabulary recognizer
   */
  public static SphinxRecognizer languageModel() {
    return new SphinxRecognizer(null);
  }

  @Override
  public int sampleRate() {
    return SAMPLE_RATE;
  }

  @Override
  public Map<String, Object> metadata() {
    return metadata;
  }

  /**
   * Loads the models now, on {@code Schedulers.boundedElastic()}, so that the first utterance does not
   * wait for them. Completes when loaded; fails as {@link #recognize} would.
   *
   * @return completes when the models are loaded
   */
  public Mono<Void> load() {
    return Mono.<Void>fromRunnable(
            () -> {
              synchronized (this) {
                decoder();
              }
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * Recognises one utterance; see {@link SpeechRecognizer#recognize}.
   *
   * <p><b>Audio with no speech in it</b> (silence, audio clipped at full scale, alternating extremes, a
   * few samples, nothing at all) gives an empty transcript, not an error. <b>Audio that ends in half a
   * sample</b> (an odd number of bytes) is an {@link IllegalArgumentException}, thrown once the whole
   * samples before it are decoded (interim hypotheses may have been given). Either way, and after a
   * stream that fails, the recognizer goes on decoding later utterances as before, with its models and
   * its adaptation kept. After a failure of Sphinx4 itself, or of {@code interim}, the next call loads
   * the models anew (about 3 s), as the decoder is then left in the middle of an utterance.
   *
   * @param pcm16le 16 kHz 16-bit little-endian mono PCM, read to its end
   * @param interim receives the hypothesis so far, on the calling thread
   * @return the final text, empty when nothing was recognised
   * @throws IOException when the audio cannot be read (the stream's own exception, after decoding what
   *     was read before it)
   * @throws IllegalArgumentException when the audio ends in half a sample; the message says so
   * @throws IllegalStateException when this recognizer is closed, or Sphinx4 fails; the message says which
   * @throws RuntimeException what {@code interim} threw, as it was (an {@link Error} too; the next call
   *     loads the models anew), or what the stream's read threw, as it was
   */
  @Override
  public synchronized String recognize(InputStream pcm16le, Consumer<String> interim)
      throws IOException {
    Objects.requireNonNull(pcm16le, "pcm16le");
    Objects.requireNonNull(interim, "interim");
    Decoder d = decoder();
    StringBuilder text = new StringBuilder();
    Interim callback = new Interim(interim);
    d.onHypothesis =
        partial -> {
          String words = clean(partial);
          if (!words.isEmpty()) {
            callback.accept(restore(text.length() == 0 ? words : text + " " + words));
          }
        };
    WholeSampleStream audio = new WholeSampleStream(pcm16le);
    try {
      d.setSource(audio);
      Result result;
      while ((result = d.next()) != null) {
        String words = clean(result.getBestResultNoFiller());
        if (!words.isEmpty()) {
          if (text.length() > 0) {
            text.append(' ');
          }
          text.append(words);
          callback.accept(restore(text.toString()));
        }
      }
    } catch (RuntimeException | Error e) {
      // Sphinx4's own failure (it throws plain Errors for broken states) or the caller's
      // callback's;
      // the audio's failures end the stream cleanly (below). The front end and search may hold half
      // an
      // utterance, so the next call loads a fresh decoder.
      discard(d);
      if (e == callback.failure || (e instanceof Error && e.getClass() != Error.class)) {
        throw e;
      }
      throw new IllegalStateException(
          "Sphinx4 failed while decoding an utterance ("
              + metadata.get(OfflineMetadata.MODEL)
              + "): "
              + e,
          e);
    } finally {
      d.onHypothesis = null;
    }
    audio.rethrowFailure();
    return restore(text.toString());
  }

  /** Frees the decoder; waits for a recognition in progress to finish first. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Decoder d = decoder;
    decoder = null;
    if (d != null) {
      try {
        d.stopRecognition();
      } catch (RuntimeException e) {
        log.debug("Sphinx4 did not deallocate cleanly", e);
      }
    }
  }

  /**
   * Drops a decoder that failed in the middle of an utterance: its front end and search may hold half an
   * utterance, so the next call loads a new one rather than decode after a broken state.
   */
  private void discard(Decoder failed) {
    if (decoder == failed) {
      decoder = null;
    }
    log.info(
        "Sphinx4 failed on an utterance; the next one loads fresh models ({})",
        metadata.get(OfflineMetadata.MODEL));
    try {
      failed.stopRecognition();
    } catch (RuntimeException e) {
      log.debug("Sphinx4 did not deallocate cleanly", e);
    }
  }

  @Override
  public String toString() {
    return "SphinxRecognizer[" + metadata.get(OfflineMetadata.MODEL) + "]";
  }

  private String restore(String words) {
    return grammar == null ? words : grammar.restore(words);
  }

  /** The words of a hypothesis without Sphinx4's out-of-grammar marker. */
  private static String clean(@Nullable String hypothesis) {
    if (hypothesis == null || hypothesis.isBlank()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String word : hypothesis.trim().split("\\s+")) {
      if (!word.equals(UNKNOWN_WORD)) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(word);
      }
    }
    return sb.toString();
  }

  private Decoder decoder() {
    if (closed) {
      throw new IllegalStateException("this SphinxRecognizer is closed");
    }
    Decoder d = decoder;
    if (d == null) {
      d = newDecoder();
      decoder = d;
    }
    return d;
  }

  private Decoder newDecoder() {
    long start = System.nanoTime();
    SphinxLogging.install();
    Configuration configuration = new Configuration();
    configuration.setAcousticModelPath(MODELS + "en-us");
    configuration.setDictionaryPath(MODELS + "cmudict-en-us.dict");
    configuration.setSampleRate(SAMPLE_RATE);
    Path grammarDirectory = null;
    try {
      if (grammar != null) {
        grammarDirectory = Files.createTempDirectory("sphinx4-grammar");
        Files.writeString(
            grammarDirectory.resolve(SphinxGrammar.NAME + ".gram"),
            grammar.jsgf(),
            StandardCharsets.UTF_8);
        configuration.setGrammarPath(grammarDirectory.toUri().toString());
        configuration.setGrammarName(SphinxGrammar.NAME);
        configuration.setUseGrammar(true);
      } else {
        configuration.setLanguageModelPath(MODELS + "en-us.lm.bin");
      }
      Decoder d = new Decoder(configuration);
      SphinxLogging.quiet();
      log.info(
          "Loaded Sphinx4 US-English models ({}) in {} ms",
          grammar == null ? "n-gram language model" : "grammar of " + grammar.size() + " phrases",
          (System.nanoTime() - start) / 1_000_000);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot load the Sphinx4 models (" + metadata.get(OfflineMetadata.MODEL) + ")", e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot load the Sphinx4 models ("
              + metadata.get(OfflineMetadata.MODEL)
              + "); is de.sciss:sphinx4-data on the class path? "
              + e,
          e);
    } finally {
      if (grammarDirectory != null) {
        deleteGrammar(grammarDirectory);
      }
    }
  }

  private static void deleteGrammar(Path directory) {
    try {
      Files.deleteIfExists(directory.resolve(SphinxGrammar.NAME + ".gram"));
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      log.debug("cannot delete the temporary grammar {}", directory, e);
    }
  }

  /** The caller's interim callback, remembering what it threw so that it is not blamed on Sphinx4. */
  private static final class Interim implements Consumer<String> {
    private final Consumer<String> delegate;
    @Nullable Throwable failure;

    Interim(Consumer<String> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void accept(String text) {
      try {
        delegate.accept(text);
      } catch (RuntimeException | Error e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * Sphinx4's stream recognizer, kept allocated across utterances (each utterance is a new source for
   * its front end), with interim hypotheses every {@value #FRAMES_PER_HYPOTHESIS} frames, and results
   * taken without building the word lattice that Sphinx4's own result type builds (and that fails on
   * some results).
   */
  private static final class Decoder extends StreamSpeechRecognizer {
    volatile @Nullable Consumer<String> onHypothesis;

    Decoder(Configuration configuration) throws IOException {
      super(configuration);
      context.setLocalProperty("decoder->featureBlockSize", FRAMES_PER_HYPOTHESIS);
      context.setLocalProperty("decoder->fireNonFinalResults", true);
      recognizer.addResultListener(
          new ResultListener() {
            @Override
            public void newResult(Result result) {
              Consumer<String> listener = onHypothesis;
              if (listener != null && !result.isFinal()) {
                listener.accept(result.getBestResultNoFiller());
              }
            }

            @Override
            public void newProperties(PropertySheet ps) {}
          });
      // Allocating loads the models and the grammar now, not at the first utterance.
      recognizer.allocate();
      replaceLiveCmn();
    }

    /**
     * Puts a {@link LiveCepstralMean} in the front end in place of Sphinx4's {@code LiveCMN}, which
     * breaks for good when the first audio it sees holds no speech frame (see {@link LiveCepstralMean}).
     * The front end links its stages once, when configured; nothing here reconfigures it afterwards.
     */
    private void replaceLiveCmn() {
      LiveCMN liveCmn = context.getInstance(LiveCMN.class);
      DeltasFeatureExtractor deltas = context.getInstance(DeltasFeatureExtractor.class);
      if (liveCmn == null || deltas == null || deltas.getPredecessor() != liveCmn) {
        throw new IllegalStateException(
            "Sphinx4's front end is not the one expected (live CMN, then deltas): "
                + "this class is written for de.sciss:sphinx4-core 1.0.0");
      }
      LiveCepstralMean cmn = new LiveCepstralMean();
      cmn.setPredecessor(liveCmn.getPredecessor());
      deltas.setPredecessor(cmn);
    }

    void setSource(InputStream pcm16le) {
      context.setSpeechSource(pcm16le);
    }

    /** The next result (one per stretch of speech Sphinx4 finds), or null at the end of the stream. */
    @Nullable Result next() {
      return recognizer.recognize();
    }
  }
}
