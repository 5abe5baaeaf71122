package dev.genaiprocessors.audio.vad;

/**
 * Tells, frame by frame, how likely a stretch of mono audio is to be speech: the engine behind
 * {@link Vad}.
 *
 * <p>A detector reads frames of exactly {@link #frameSamples()} samples at {@link #sampleRate()}, as
 * floats in {@code [-1, 1)}, one after the other, and may keep state from frame to frame (a noise
 * floor, a recurrent network's state). So one detector serves <b>one stream</b>, fed by one thread at
 * a time; {@link Vad} makes a new one for each subscription from the factory it is given, and closes
 * it when the subscription ends (completion, error or cancellation).
 *
 * <p>Implementations: {@link EnergySpeechDetector} (energy over an adaptive noise floor and
 * zero-crossing rate, no dependencies) and {@link SileroSpeechDetector} (the Silero VAD v5 network
 * on ONNX Runtime).
 */
public interface SpeechDetector extends AutoCloseable {

  /**
   * The sample rate of the frames this detector reads, in Hz; {@link Vad} resamples other rates to it.
   *
   * @return the sample rate in Hz
   */
  int sampleRate();

  /**
   * The number of samples in one frame; the same for every frame.
   *
   * @return the frame length in samples, positive
   */
  int frameSamples();

  /**
   * The probability that this frame, following the frames before it, is speech.
   *
   * @param frame exactly {@link #frameSamples()} samples in {@code [-1, 1)}; the caller reuses the
   *     array after the call returns, so copy what you keep
   * @return a value in {@code [0, 1]}
   * @throws IllegalArgumentException when the frame has the wrong length
   * @throws IllegalStateException when the detector is closed
   */
  float speechProbability(float[] frame);

  /**
   * Releases what the detector holds; it reads no frame after this. May be called from another thread
   * than the one that reads frames, and more than once. The default does nothing.
   */
  @Override
  default void close() {}
}
