package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataEndSignal;
import edu.cmu.sphinx.frontend.DataProcessor;
import edu.cmu.sphinx.frontend.DataStartSignal;
import edu.cmu.sphinx.frontend.DoubleData;
import edu.cmu.sphinx.frontend.endpoint.SpeechEndSignal;
import edu.cmu.sphinx.frontend.endpoint.SpeechStartSignal;
import edu.cmu.sphinx.frontend.feature.LiveCMN;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveCepstralMean} against Sphinx4's {@code LiveCMN}: the same output on speech, and none of
 * its failure when the first audio has no speech frame.
 */
class LiveCepstralMeanTest {

  private static final int COEFFICIENTS = 13;

  @Test
  void normalisesSpeechAsSphinxLiveCmnDoesAcrossUtterancesAndMeanUpdates() {
    Random random = new Random(14);
    List<double[]> frames = new ArrayList<>();
    for (int i = 0; i < 3 * 350; i++) {
      double[] c = new double[COEFFICIENTS];
      c[0] =
          -2 + 22 * random.nextDouble(); // some near-zero energy frames, which count toward neither
      // mean
      for (int j = 1; j < COEFFICIENTS; j++) {
        c[j] = 4 * random.nextGaussian() + j;
      }
      frames.add(c);
    }
    List<Data> input = new ArrayList<>();
    for (int u = 0; u < 3; u++) {
      input.addAll(utterance(frames.subList(350 * u, 350 * (u + 1))));
    }

    List<double[]> sphinx =
        framesOut(
            new LiveCMN(
                0,
                LiveCepstralMean.WINDOW,
                LiveCepstralMean.SHIFT_WINDOW,
                LiveCepstralMean.INITIAL_WINDOW),
            input);
    List<double[]> ours = framesOut(new LiveCepstralMean(), input);

    assertThat(ours).hasSize(frames.size()).hasSameSizeAs(sphinx);
    for (int i = 0; i < ours.size(); i++) {
      for (int j = 0; j < COEFFICIENTS; j++) {
        assertThat(ours.get(i)[j])
            .as("frame %d coefficient %d", i, j)
            .isCloseTo(sphinx.get(i)[j], within(1e-9));
      }
    }
  }

  @Test
  void aFirstUtteranceWithoutSpeechFramesLeavesItReadyForTheNextWhereSphinxLiveCmnBreaks() {
    List<double[]> speech =
        List.of(new double[] {10, 1, 2}, new double[] {20, 3, 4}, new double[] {-1, 100, 100});
    List<Data> input = new ArrayList<>(List.of(new DataStartSignal(16000), new DataEndSignal(0)));
    input.addAll(utterance(speech));

    assertThatThrownBy(() -> framesOut(new LiveCMN(0, 300, 400, 200), input))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("sum");

    LiveCepstralMean cmn = new LiveCepstralMean();
    List<double[]> out = framesOut(cmn, input);
    assertThat(cmn.hasMean()).isTrue();
    // The mean of the frames with energy: (15, 2, 3); the third frame has none and does not count.
    assertThat(out)
        .containsExactly(
            new double[] {-5, -1, -1}, new double[] {5, 1, 1}, new double[] {-16, 98, 97});
  }

  @Test
  void framesThatAreNotFiniteDoNotCountTowardTheMean() {
    List<double[]> speech =
        List.of(
            new double[] {10, 1},
            new double[] {Double.POSITIVE_INFINITY, 5},
            new double[] {20, Double.NaN},
            new double[] {20, 3});

    List<double[]> out = framesOut(new LiveCepstralMean(), utterance(speech));

    assertThat(out.get(0)).containsExactly(-5, -1);
    assertThat(out.get(3)).containsExactly(5, 1);
  }

  private static List<Data> utterance(List<double[]> frames) {
    List<Data> data = new ArrayList<>();
    data.add(new DataStartSignal(16000));
    data.add(new SpeechStartSignal());
    for (double[] frame : frames) {
      data.add(new DoubleData(frame));
    }
    data.add(new SpeechEndSignal());
    data.add(new DataEndSignal(0));
    return data;
  }

  /** The frames a normaliser gives for this input (fresh copies of it), signals left out. */
  private static List<double[]> framesOut(BaseDataProcessor cmn, List<Data> input) {
    Deque<Data> queue = new ArrayDeque<>();
    for (Data d : input) {
      queue.add(d instanceof DoubleData frame ? new DoubleData(frame.getValues().clone()) : d);
    }
    cmn.setPredecessor(new Source(queue));
    List<double[]> out = new ArrayList<>();
    Data d;
    while ((d = cmn.getData()) != null) {
      if (d instanceof DoubleData frame) {
        out.add(frame.getValues());
      }
    }
    return out;
  }

  private static final class Source extends BaseDataProcessor implements DataProcessor {
    private final Deque<Data> queue;

    Source(Deque<Data> queue) {
      this.queue = queue;
    }

    @Override
    public Data getData() {
      return queue.poll();
    }
  }
}
