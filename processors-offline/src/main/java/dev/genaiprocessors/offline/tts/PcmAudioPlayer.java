package dev.genaiprocessors.offline.tts;

import com.sun.speech.freetts.audio.AudioPlayer;
import dev.genaiprocessors.audio.speech.SpeechSynthesizer;
import javax.sound.sampled.AudioFormat;
import org.jspecify.annotations.Nullable;

/**
 * A FreeTTS audio player that plays nothing: it hands each piece of audio FreeTTS writes to a {@link
 * SpeechSynthesizer.PcmSink}, as 16-bit little-endian PCM, without touching an audio device or a file.
 * Used by one synthesis at a time (see {@link FreeTtsSynthesizer}).
 */
final class PcmAudioPlayer implements AudioPlayer {

  private @Nullable AudioFormat format;
  private SpeechSynthesizer.@Nullable PcmSink sink;
  private boolean stopped;
  private float volume = 1f;

  /** Directs the audio of the next synthesis to this sink. */
  void start(SpeechSynthesizer.PcmSink sink) {
    this.sink = sink;
    this.stopped = false;
  }

  /** Ends the synthesis: later writes are dropped. */
  void finish() {
    this.sink = null;
  }

  /** True when the sink asked to stop during the synthesis. */
  boolean stopped() {
    return stopped;
  }

  @Override
  public void setAudioFormat(AudioFormat format) {
    if (format.getSampleSizeInBits() != 16
        || format.getChannels() != 1
        || format.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
      throw new IllegalStateException(
          "FreeTTS produced " + format + "; expected 16-bit signed mono PCM");
    }
    this.format = format;
  }

  @Override
  public AudioFormat getAudioFormat() {
    AudioFormat f = format;
    return f != null ? f : new AudioFormat(16000f, 16, 1, true, true);
  }

  @Override
  public boolean write(byte[] audioData) {
    return write(audioData, 0, audioData.length);
  }

  @Override
  public boolean write(byte[] bytes, int offset, int size) {
    SpeechSynthesizer.PcmSink target = sink;
    if (target == null || stopped) {
      return false;
    }
    AudioFormat f = getAudioFormat();
    int length = size & ~1;
    byte[] pcm = new byte[length];
    if (f.isBigEndian()) {
      for (int i = 0; i < length; i += 2) {
        pcm[i] = bytes[offset + i + 1];
        pcm[i + 1] = bytes[offset + i];
      }
    } else {
      System.arraycopy(bytes, offset, pcm, 0, length);
    }
    if (length > 0 && !target.accept(pcm, Math.round(f.getSampleRate()))) {
      stopped = true;
      return false;
    }
    return true;
  }

  @Override
  public void cancel() {
    stopped = true;
  }

  @Override
  public void reset() {}

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public boolean drain() {
    return true;
  }

  @Override
  public void begin(int size) {}

  @Override
  public boolean end() {
    return !stopped;
  }

  @Override
  public void close() {}

  @Override
  public float getVolume() {
    return volume;
  }

  @Override
  public void setVolume(float volume) {
    this.volume = volume;
  }

  @Override
  public long getTime() {
    return 0;
  }

  @Override
  public void resetTime() {}

  @Override
  public void startFirstSampleTimer() {}

  @Override
  public void showMetrics() {}
}
