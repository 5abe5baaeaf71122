package dev.genaiprocessors.offline.stt;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataEndSignal;
import edu.cmu.sphinx.frontend.DataProcessingException;
import edu.cmu.sphinx.frontend.DoubleData;
import edu.cmu.sphinx.frontend.endpoint.SpeechEndSignal;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * Live cepstral mean normalisation for {@link SphinxRecognizer}'s front end, in place of Sphinx4
 * 1.0.0's {@code LiveCMN}, with the same windows and the same arithmetic, minus its bug.
 *
 * <p><b>Why.</b> {@code LiveCMN} estimates its first mean once, from the first frames it is ever given,
 * and marks itself initialised even when that first stretch held no speech frame (silence, clipped or
 * empty audio: the speech marker passes no frame, only start and end signals). Its sums then stay
 * null for good and the first speech frame of every later utterance fails with a {@code
 * NullPointerException}. Upstream fixed it after 1.0.0 (cmusphinx/sphinx4 issue 51, commit 51d115b);
 * no release on Maven Central has the fix.
 *
 * <p><b>What it does.</b> Until it has a mean it reads ahead up to {@value #INITIAL_WINDOW} items or to
 * the end of the speech or of the data, and estimates the mean from the frames among them; with no
 * usable frame it passes what it read on unchanged and estimates again from the next items (the next
 * utterance). Then each frame has the mean subtracted, and the mean is recomputed every {@value
 * #SHIFT_WINDOW} frames over a decaying window of about {@value #WINDOW} frames, across utterances.
 * Frames with a negative zeroth coefficient (near-zero energy) or a value that is not finite do not
 * count toward the mean, so one piece of hostile audio cannot make it NaN.
 *
 * <p><b>Threads.</b> Not thread-safe: it is one stage of a front end that one thread drives, as every
 * Sphinx4 data processor.
 */
final class LiveCepstralMean extends BaseDataProcessor {

  /** Items read ahead for the first estimate (Sphinx4's {@code LiveCMN} default). */
  static final int INITIAL_WINDOW = 200;

  /** Frames the decayed sums stand for after each update (Sphinx4's default). */
  static final int WINDOW = 300;

  /** Frames counted between updates of the mean (Sphinx4's default). */
  static final int SHIFT_WINDOW = 400;

  /** Items read ahead and not yet returned; at most {@value #INITIAL_WINDOW} (the read-ahead stops there). */
  private final Deque<Data> pending = new ArrayDeque<>();

  private double @Nullable [] sum;
  private double @Nullable [] mean;
  private int frames;

  /** Whether a mean has been estimated yet. */
  boolean hasMean() {
    return mean != null;
  }

  @Override
  public @Nullable Data getData() throws DataProcessingException {
    if (mean == null && pending.isEmpty()) {
      readAheadAndEstimate();
      if (pending.isEmpty()) {
        return null;
      }
    }
    Data data = pending.isEmpty() ? getPredecessor().getData() : pending.poll();
    double[] m = mean;
    double[] s = sum; // set together with mean
    if (m != null && s != null && data instanceof DoubleData frame) {
      normalize(frame.getValues(), m, s);
    }
    return data;
  }

  private void readAheadAndEstimate() {
    while (pending.size() < INITIAL_WINDOW) {
      Data data = getPredecessor().getData();
      if (data == null) {
        break;
      }
      pending.add(data);
      if (data instanceof SpeechEndSignal || data instanceof DataEndSignal) {
        break;
      }
    }
    double[] total = null;
    int counted = 0;
    for (Data data : pending) {
      if (data instanceof DoubleData frame && counts(frame.getValues())) {
        double[] values = frame.getValues();
        if (total == null) {
          total = new double[values.length];
        }
        checkLength(values, total.length);
        add(total, values);
        counted++;
      }
    }
    if (total == null) {
      return;
    }
    sum = total;
    frames = counted;
    mean = new double[total.length];
    for (int i = 0; i < total.length; i++) {
      mean[i] = total[i] / counted;
    }
  }

  private void normalize(double[] cepstrum, double[] m, double[] s) {
    checkLength(cepstrum, m.length);
    if (counts(cepstrum)) {
      add(s, cepstrum);
      frames++;
    }
    for (int i = 0; i < cepstrum.length; i++) {
      cepstrum[i] -= m[i];
    }
    if (frames > SHIFT_WINDOW) {
      for (int i = 0; i < m.length; i++) {
        m[i] = s[i] / frames;
      }
      double decay = (double) WINDOW / frames;
      for (int i = 0; i < s.length; i++) {
        s[i] *= decay;
      }
      frames = WINDOW;
    }
  }

  /** A frame counts toward the mean when it has energy (zeroth coefficient not negative) and is finite. */
  private static boolean counts(double[] cepstrum) {
    if (cepstrum.length == 0 || cepstrum[0] < 0) {
      return false;
    }
    for (double v : cepstrum) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static void add(double[] total, double[] values) {
    for (int i = 0; i < total.length; i++) {
      total[i] += values[i];
    }
  }

  private static void checkLength(double[] cepstrum, int expected) {
    if (cepstrum.length != expected) {
      throw new DataProcessingException(
          "a cepstrum of "
              + cepstrum.length
              + " coefficients where the front end made "
              + expected
              + " before");
    }
  }
}
