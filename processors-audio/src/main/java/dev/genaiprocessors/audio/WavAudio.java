package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The audio of a decoded WAV file: 16-bit little-endian mono PCM and its sample rate.
 *
 * <p>The array is not copied: it belongs to this record, and to the part made by {@link #toPart()}.
 * Equality compares the samples' contents.
 *
 * @param sampleRate samples per second
 * @param pcm16le the samples, little-endian
 */
public record WavAudio(int sampleRate, byte[] pcm16le) {

  /**
   * Checks the audio.
   *
   * @param sampleRate samples per second, positive
   * @param pcm16le the samples, 16-bit little-endian mono PCM; an even number of bytes, not copied
   * @throws IllegalArgumentException when the rate is not positive or the byte count is odd
   */
  public WavAudio {
    Objects.requireNonNull(pcm16le, "pcm16le");
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, was " + sampleRate);
    }
    Pcm.samples(pcm16le.length);
  }

  /**
   * How long the audio plays.
   *
   * @return the play time of the samples at the sample rate
   */
  public Duration duration() {
    return Pcm.duration(pcm16le.length, sampleRate);
  }

  /**
   * The audio as an {@code audio/pcm;rate=<sampleRate>} part that shares this record's array.
   *
   * @return a new part sharing the array
   */
  public Part toPart() {
    return Part.audio(pcm16le, sampleRate);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof WavAudio other
        && sampleRate == other.sampleRate
        && Arrays.equals(pcm16le, other.pcm16le);
  }

  @Override
  public int hashCode() {
    return 31 * sampleRate + Arrays.hashCode(pcm16le);
  }

  @Override
  public String toString() {
    return "WavAudio[" + sampleRate + " Hz, " + pcm16le.length + " B]";
  }
}
