package dev.genaiprocessors.offline.stt;

import dev.genaiprocessors.audio.speech.SpeechRecognizer;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Speech to text over a stream of parts: audio in, transcriptions out, with any {@link SpeechRecognizer}
 * doing the recognition. Put a {@code Vad} before it; the VAD's start- and end-of-speech parts are what
 * cut the audio into utterances.
 *
 * <pre>{@code
 * SpeechRecognizer sphinx = SphinxRecognizer.grammar(List.of("what is the weather like today", "tell me a joke"));
 * Processor listen = Vad.builder().build().then(SpeechToText.builder(sphinx).build());
 * microphone.transform(listen).filter(Part::isFinalTranscription)...
 * }</pre>
 *
 * <p><b>Output.</b> Every input part passes through, in input order and unchanged (audio too, at its
 * own rate, unless {@link Builder#passAudio(boolean) passAudio(false)}). Transcriptions are added as
 * {@link Part#inputTranscription(String, boolean)} parts (substream {@code input_transcription}, role
 * {@code user}) carrying the recognizer's {@link SpeechRecognizer#metadata() metadata}: interim ones
 * ({@code is_final=false}) while an utterance is being decoded, when the hypothesis changes, and exactly
 * one final one ({@code is_final=true}, its text possibly empty when nothing was recognised) per
 * utterance, always after that utterance's end-of-speech part. Transcriptions are emitted as soon as
 * they are ready, so they may come after parts that followed the utterance; the transcriptions of one
 * utterance come before those of the next.
 *
 * <p><b>Utterances.</b> An utterance is the audio from a start-of-speech part to the next end-of-speech
 * part (or the end of the input). Audio outside utterances passes through untranscribed, and so does
 * all audio when no VAD marks speech. The utterance's audio is resampled to the recognizer's rate with
 * {@code Resample}, streamed to the recognizer while the user is still speaking, and ended with
 * {@link Builder#trailingSilence(Duration) trailing silence} (1 s by default; Sphinx4 may fail on audio
 * that stops in the middle of speech).
 *
 * <p><b>Threads and blocking.</b> Recognition blocks, so it runs on the {@link Builder#scheduler(Scheduler)
 * scheduler} ({@code Schedulers.boundedElastic()} by default), one utterance at a time per subscription;
 * the parts pass through on the thread that delivers them, never waiting for a recognition.
 *
 * <p><b>Buffering.</b> Audio waiting for a recognizer that has fallen behind (the Sphinx4 language-model
 * mode is slower than real time) is held up to {@link Builder#maxPendingAudio(Duration) maxPendingAudio}
 * (60 s) for all pending utterances together; audio beyond that is not transcribed, a warning is logged
 * and the utterance's final transcription carries {@code truncated=true}. It still passes through.
 *
 * <p><b>Errors.</b> Audio that is not streaming PCM with a rate ({@code audio/wav}, for instance: decode
 * it with {@code Wav.toPcmPart} first) fails the output with an {@link IllegalArgumentException} when an
 * utterance reaches it; a failure of the recognizer fails the output with its exception (an
 * {@link java.io.IOException} wrapped in an {@link java.io.UncheckedIOException}). <b>Cancellation</b>
 * ends the recognition in progress and drops pending audio. Each subscription transcribes afresh; the
 * recognizer is shared and is not closed by this processor.
 */
public final class SpeechToText implements Processor {

  final SpeechRecognizer recognizer;
  final boolean passAudio;
  final boolean interimResults;
  final Duration trailingSilence;
  final Duration maxPendingAudio;
  final Scheduler scheduler;

  private SpeechToText(Builder b) {
    this.recognizer = b.recognizer;
    this.passAudio = b.passAudio;
    this.interimResults = b.interimResults;
    this.trailingSilence = b.trailingSilence;
    this.maxPendingAudio = b.maxPendingAudio;
    this.scheduler = b.scheduler;
  }

  /**
   * A builder for a processor over this recognizer, with the defaults described on each setter.
   *
   * @param recognizer the engine that transcribes
   * @return a new builder
   */
  public static Builder builder(SpeechRecognizer recognizer) {
    return new Builder(Objects.requireNonNull(recognizer, "recognizer"));
  }

  /**
   * The recognizer doing the work.
   *
   * @return the recognizer
   */
  public SpeechRecognizer recognizer() {
    return recognizer;
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Objects.requireNonNull(input, "input");
    return Flux.defer(() -> new TranscriptionSession(this).run(input));
  }

  @Override
  public String toString() {
    return "SpeechToText[" + recognizer.metadata() + "]";
  }

  /** Configures a {@link SpeechToText}; {@link #build()} checks every setting at once. */
  public static final class Builder {
    private final SpeechRecognizer recognizer;
    private boolean passAudio = true;
    private boolean interimResults = true;
    private Duration trailingSilence = Duration.ofSeconds(1);
    private Duration maxPendingAudio = Duration.ofSeconds(60);
    private Scheduler scheduler = Schedulers.boundedElastic();

    private Builder(SpeechRecognizer recognizer) {
      this.recognizer = recognizer;
    }

    /**
     * Whether audio parts pass through to the output (default true); false leaves only the other parts.
     *
     * @param passAudio false to consume audio parts
     * @return this builder
     */
    public Builder passAudio(boolean passAudio) {
      this.passAudio = passAudio;
      return this;
    }

    /**
     * Whether interim transcriptions are emitted (default true); finals always are.
     *
     * @param interimResults false for final transcriptions only
     * @return this builder
     */
    public Builder interimResults(boolean interimResults) {
      this.interimResults = interimResults;
      return this;
    }

    /**
     * Silence added after each utterance before the recognizer's stream ends; 0 to 5 s, default 1 s.
     *
     * @param trailingSilence the silence added, 0 to 5 s
     * @return this builder
     */
    public Builder trailingSilence(Duration trailingSilence) {
      this.trailingSilence = Objects.requireNonNull(trailingSilence, "trailingSilence");
      return this;
    }

    /**
     * The most audio held for a recognizer that has fallen behind; 1 s to 1 h, default 60 s.
     *
     * @param maxPendingAudio the most audio held, as play time, 1 s to 1 h
     * @return this builder
     */
    public Builder maxPendingAudio(Duration maxPendingAudio) {
      this.maxPendingAudio = Objects.requireNonNull(maxPendingAudio, "maxPendingAudio");
      return this;
    }

    /**
     * Where recognition runs; its threads must be allowed to block. Default {@code
     * Schedulers.boundedElastic()}.
     *
     * @param scheduler a scheduler that allows blocking
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The processor.
     *
     * @return a new speech-to-text processor
     * @throws IllegalArgumentException when a setting is out of range; the message lists every one
     */
    public SpeechToText build() {
      List<String> problems = new ArrayList<>();
      if (trailingSilence.isNegative() || trailingSilence.compareTo(Duration.ofSeconds(5)) > 0) {
        problems.add(
            "trailingSilence must be from 0 to 5 s, was " + trailingSilence.toMillis() + " ms");
      }
      if (maxPendingAudio.compareTo(Duration.ofSeconds(1)) < 0
          || maxPendingAudio.compareTo(Duration.ofHours(1)) > 0) {
        problems.add(
            "maxPendingAudio must be from 1 s to 1 h, was " + maxPendingAudio.toMillis() + " ms");
      }
      if (recognizer.sampleRate() <= 0) {
        problems.add(
            "the recognizer's sample rate must be positive, was " + recognizer.sampleRate());
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid SpeechToText settings: " + String.join("; ", problems));
      }
      return new SpeechToText(this);
    }
  }
}
