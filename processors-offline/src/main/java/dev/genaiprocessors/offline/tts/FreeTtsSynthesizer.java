package dev.genaiprocessors.offline.tts;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import dev.genaiprocessors.audio.speech.SpeechSynthesizer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Text to speech with FreeTTS, in pure Java, with its US-English diphone voice {@code kevin16} (16 kHz)
 * from the {@code net.sf.sociaal:freetts} jar: no network, no key, no audio device, no files. The
 * default engine of {@link TextToSpeech}.
 *
 * <p><b>Quality.</b> Robotic but clear; Sphinx4 transcribes it almost word for word. FreeTTS voices a
 * sentence of a few seconds in about a tenth of a second on one core, far faster than real time.
 *
 * <p><b>Threads and blocking.</b> FreeTTS is not thread-safe, so each instance owns one voice and
 * serialises its use: {@link #synthesize} blocks until the text is voiced, and a second caller waits for
 * the first. Use one instance per stream that must not wait for others. The voice is loaded on the first
 * call (about half a second), or ahead of it with {@link #load()}.
 *
 * <p><b>Output.</b> FreeTTS writes audio in pieces of about 32 ms; each reaches the sink as 16-bit
 * little-endian PCM at 16 kHz. A sink that returns false stops the synthesis.
 *
 * <p>Licence: FreeTTS and its voices are under a BSD-style licence (Sun Microsystems, Carnegie Mellon
 * University); see {@code META-INF/licenses/} in this module's jar.
 */
public final class FreeTtsSynthesizer implements SpeechSynthesizer {

  /** The voice's sample rate: {@value} Hz. */
  public static final int SAMPLE_RATE = 16000;

  private static final String VOICE = "kevin16";

  private final PcmAudioPlayer player = new PcmAudioPlayer();
  private @Nullable Voice voice;
  private boolean closed;

  private FreeTtsSynthesizer() {}

  /**
   * A synthesizer with the {@code kevin16} voice (loaded on first use).
   *
   * @return a new synthesizer
   */
  public static FreeTtsSynthesizer kevin16() {
    return new FreeTtsSynthesizer();
  }

  @Override
  public String name() {
    return "freetts " + VOICE;
  }

  /**
   * Loads the voice now, on {@code Schedulers.boundedElastic()}; fails as {@link #synthesize} would.
   *
   * @return completes when the voice is loaded
   */
  public Mono<Void> load() {
    return Mono.<Void>fromRunnable(
            () -> {
              synchronized (this) {
                voice();
              }
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  @Override
  public synchronized void synthesize(String text, PcmSink sink) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sink, "sink");
    Voice v = voice();
    player.start(sink);
    try {
      boolean done = v.speak(text);
      if (!done && !player.stopped()) {
        throw new IllegalStateException(
            "FreeTTS could not voice the text '" + abbreviate(text) + "'");
      }
    } finally {
      player.finish();
    }
  }

  /** Frees the voice; waits for a synthesis in progress to finish first. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Voice v = voice;
    voice = null;
    if (v != null) {
      v.deallocate();
    }
  }

  @Override
  public String toString() {
    return "FreeTtsSynthesizer[" + VOICE + "]";
  }

  private Voice voice() {
    if (closed) {
      throw new IllegalStateException("this FreeTtsSynthesizer is closed");
    }
    Voice v = voice;
    if (v == null) {
      v = findVoice();
      v.setAudioPlayer(player);
      v.allocate();
      voice = v;
    }
    return v;
  }

  private static Voice findVoice() {
    // The voice directory is used directly, so no system property (freetts.voices) has to be set.
    for (Voice candidate : new KevinVoiceDirectory().getVoices()) {
      if (VOICE.equals(candidate.getName())) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "FreeTTS has no voice '" + VOICE + "'; is net.sf.sociaal:freetts on the class path?");
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
