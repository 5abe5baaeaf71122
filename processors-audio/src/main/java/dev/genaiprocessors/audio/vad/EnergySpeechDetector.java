package dev.genaiprocessors.audio.vad;

import dev.genaiprocessors.audio.Pcm;
import java.time.Duration;
import java.util.Objects;

/**
 * A speech detector with no dependencies: loudness over an adaptive noise floor, corrected by the
 * zero-crossing rate. It finds speech in quiet rooms well, and takes any loud sound in the voice band
 * for speech (music, a door); the {@link Vad}'s padding window is what keeps a cough or a click from
 * counting. Use {@link SileroSpeechDetector} where speech must be told from other sounds.
 *
 * <p><b>How a frame is scored.</b>
 * <ol>
 *   <li>The frame's mean is removed (DC offset) and its energy taken in dB relative to full scale
 *       (a full-scale sine is -3 dBFS).
 *   <li>The <em>noise floor</em> is the quietest frame energy of the last 5 seconds (minimum statistics:
 *       speech always has pauses within that time, the background does not go away), and never below
 *       {@value #MIN_FLOOR_DB} dBFS. A frame below {@value #DIGITAL_SILENCE_DB} dBFS is digital silence:
 *       it scores 0 and does not count towards the floor, except that a run of at least 200 ms of it
 *       (a gated source, or {@link Pcm#silence}) sets the floor to {@value #MIN_FLOOR_DB} dBFS for the
 *       next 5 seconds. A steady sound that lasts longer than 5 seconds therefore becomes the floor: a
 *       hum is not speech.
 *   <li>The probability is a logistic function of the frame's margin over the floor: 0.5 at
 *       {@value #MARGIN_DB} dB, about 0.88 at 4 dB more and 0.12 at 4 dB less.
 *   <li>The zero-crossing rate tells where the frame's energy lies: {@code c} sign changes in a frame of
 *       {@code T} seconds put it around {@code c / 2T} Hz. Voiced speech lies from about 100 Hz to 3 kHz,
 *       and there the probability stands. Below, it is scaled down to nothing at 60 Hz (hum, rumble, a DC
 *       step: never speech however loud); above, down to 0.3 of itself at 5 kHz and higher (hiss, a
 *       whistle, the fricatives of speech, which the padding window carries).
 * </ol>
 *
 * <p>Cost: a few microseconds per 20 ms frame; no allocation per frame. Not thread-safe: one detector
 * per stream (see {@link SpeechDetector}).
 */
public final class EnergySpeechDetector implements SpeechDetector {

  /** Energy in dBFS under which a frame is digital silence: {@value}. */
  public static final double DIGITAL_SILENCE_DB = -80;

  /** The lowest noise floor in dBFS: {@value}. */
  public static final double MIN_FLOOR_DB = -60;

  /** How far above the noise floor, in dB, a frame has a probability of 0.5: {@value}. */
  public static final double MARGIN_DB = 10;

  private static final double SLOPE_DB = 2;
  private static final double MEMORY_SECONDS = 5;
  private static final int BLOCKS = 10;
  private static final double GATE_SECONDS = 0.2;
  private static final double RUMBLE_HZ = 60;
  private static final double VOICE_LOW_HZ = 100;
  private static final double VOICE_HIGH_HZ = 3000;
  private static final double HISS_HZ = 5000;
  private static final double HISS_WEIGHT = 0.3;

  private final int sampleRate;
  private final int frameSamples;
  private final int blockFrames;
  private final int gateFrames;

  /** The quietest energy of each of the last {@link #BLOCKS} completed blocks, a ring. */
  private final double[] blockMinima = new double[BLOCKS];

  private int blocksFilled;
  private int nextBlock;
  private double currentMinimum = Double.POSITIVE_INFINITY;
  private int framesInBlock;
  private int silentRun;

  /** A detector for 16 kHz audio in frames of 20 ms (320 samples). */
  public EnergySpeechDetector() {
    this(16_000, Duration.ofMillis(20));
  }

  /**
   * A detector for audio at this rate in frames of this length.
   *
   * @param sampleRate samples per second, positive
   * @param frame the frame length, rounded to whole samples; from 5 ms to 100 ms
   * @throws IllegalArgumentException for a rate that is not positive or a frame out of range
   */
  public EnergySpeechDetector(int sampleRate, Duration frame) {
    Objects.requireNonNull(frame, "frame");
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, was " + sampleRate);
    }
    if (frame.compareTo(Duration.ofMillis(5)) < 0 || frame.compareTo(Duration.ofMillis(100)) > 0) {
      throw new IllegalArgumentException("frame must be from 5 ms to 100 ms, was " + frame);
    }
    this.sampleRate = sampleRate;
    this.frameSamples = (int) Math.max(1, Math.round(frame.toNanos() * 1e-9 * sampleRate));
    double frameSeconds = (double) frameSamples / sampleRate;
    this.blockFrames = (int) Math.max(1, Math.round(MEMORY_SECONDS / BLOCKS / frameSeconds));
    this.gateFrames = (int) Math.max(1, Math.ceil(GATE_SECONDS / frameSeconds - 1e-9));
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int frameSamples() {
    return frameSamples;
  }

  @Override
  public float speechProbability(float[] frame) {
    if (frame.length != frameSamples) {
      throw new IllegalArgumentException(
          "frame must have " + frameSamples + " samples, had " + frame.length);
    }
    double mean = 0;
    for (float sample : frame) {
      mean += sample;
    }
    mean /= frame.length;
    double energy = 0;
    int crossings = 0;
    boolean wasNegative = frame[0] - mean < 0;
    for (float sample : frame) {
      double centred = sample - mean;
      energy += centred * centred;
      boolean negative = centred < 0;
      if (negative != wasNegative) {
        crossings++;
      }
      wasNegative = negative;
    }
    double db = 10 * Math.log10(energy / frame.length + 1e-20);
    if (db < DIGITAL_SILENCE_DB) {
      if (++silentRun >= gateFrames) {
        observe(MIN_FLOOR_DB);
      }
      return 0f;
    }
    silentRun = 0;
    double floor = floor();
    observe(db);
    double crossingHz = crossings * (double) sampleRate / (2.0 * frame.length);
    double margin = db - floor;
    return (float) (voiceBandWeight(crossingHz) / (1 + Math.exp(-(margin - MARGIN_DB) / SLOPE_DB)));
  }

  /** The noise floor in dBFS: the quietest energy remembered, at least {@link #MIN_FLOOR_DB}. */
  double floor() {
    double minimum = currentMinimum;
    for (int i = 0; i < blocksFilled; i++) {
      minimum = Math.min(minimum, blockMinima[i]);
    }
    return Double.isInfinite(minimum) ? MIN_FLOOR_DB : Math.max(MIN_FLOOR_DB, minimum);
  }

  private void observe(double db) {
    currentMinimum = Math.min(currentMinimum, db);
    if (++framesInBlock == blockFrames) {
      blockMinima[nextBlock] = currentMinimum;
      nextBlock = (nextBlock + 1) % BLOCKS;
      blocksFilled = Math.min(BLOCKS, blocksFilled + 1);
      currentMinimum = Double.POSITIVE_INFINITY;
      framesInBlock = 0;
    }
  }

  /** How much a frame whose zero crossings put it around this frequency can be voiced speech, 0 to 1. */
  private static double voiceBandWeight(double crossingHz) {
    if (crossingHz < VOICE_LOW_HZ) {
      return Math.max(0, (crossingHz - RUMBLE_HZ) / (VOICE_LOW_HZ - RUMBLE_HZ));
    }
    if (crossingHz > VOICE_HIGH_HZ) {
      double share = Math.min(1, (crossingHz - VOICE_HIGH_HZ) / (HISS_HZ - VOICE_HIGH_HZ));
      return 1 - share * (1 - HISS_WEIGHT);
    }
    return 1;
  }
}
