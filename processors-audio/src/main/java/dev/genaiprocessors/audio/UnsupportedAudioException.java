package dev.genaiprocessors.audio;

/**
 * Audio in a format this package does not read: not a WAV file, a truncated header, samples other
 * than 16-bit integer PCM in one or two channels, or a sample rate outside what the {@link Resampler}
 * converts. The message says what was found and what is supported.
 */
public final class UnsupportedAudioException extends IllegalArgumentException {

  /** What {@link Wav} reads, as the messages of this exception say it. */
  static final String SUPPORTED =
      "supported: RIFF/WAVE with 16-bit integer PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM"
          + " subformat), mono or stereo";

  UnsupportedAudioException(String found) {
    this(found, SUPPORTED);
  }

  /**
   * @param found what the input held
   * @param supported what would have been read, starting with {@code supported:}
   */
  UnsupportedAudioException(String found, String supported) {
    super(found + "; " + supported);
  }
}
