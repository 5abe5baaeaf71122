package dev.genaiprocessors.audio;

/**
 * Audio in a format this package does not read: not a WAV file, a truncated header, or samples other
 * than 16-bit integer PCM in one or two channels. The message says what was found and what is
 * supported.
 */
public final class UnsupportedAudioException extends IllegalArgumentException {

  /** What {@link Wav} reads, as the messages of this exception say it. */
  static final String SUPPORTED =
      "supported: RIFF/WAVE with 16-bit integer PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM"
          + " subformat), mono or stereo";

  UnsupportedAudioException(String found) {
    super(found + "; " + SUPPORTED);
  }
}
