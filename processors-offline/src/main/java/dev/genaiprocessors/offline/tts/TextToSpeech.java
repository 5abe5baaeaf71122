package dev.genaiprocessors.offline.tts;

import dev.genaiprocessors.audio.speech.SpeechSynthesizer;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Processor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Text to speech over a stream of parts: text in, audio out, sentence by sentence, with any {@link
 * SpeechSynthesizer} doing the voicing ({@link FreeTtsSynthesizer} unless told otherwise).
 *
 * <pre>{@code
 * Processor speak = TextToSpeech.builder(FreeTtsSynthesizer.kevin16()).build();
 * model.then(speak).then(AudioRateLimiter...)...
 * }</pre>
 *
 * <p><b>Sentences.</b> Text parts to voice (by default: text on the default substream that is not a
 * control part such as end of turn; see {@link Builder#voiced(Predicate)}) are joined and cut into
 * sentences as they arrive, so a model streaming word by word is heard sentence by sentence: a sentence
 * is voiced once its ending has arrived (a {@code .}, {@code !} or {@code ?} followed by white space, or a
 * line break; common abbreviations and numbers such as {@code 3.5} do not end one), or when the text
 * stops: at a part that is not voiced (an end of turn, for instance) and at the end of the input.
 * With {@link Builder#firstClause(boolean) firstClause(true)}, the first words of each answer (the text
 * after the start, or after a part that is not voiced) are voiced at their first clause break
 * ({@code ,;:} followed by white space), or at once when the text so far ends in one right after a
 * word: a model streaming word by word is heard after its first word or two, not its first sentence.
 *
 * <p><b>Output and ordering.</b> Each sentence becomes audio parts ({@code audio/pcm;rate=<the
 * engine's rate>}, 16 kHz for FreeTTS), in the pieces the engine makes them, each with role {@code
 * model} and {@link PartMetadata#SPOKEN_TEXT} set to the sentence it voices. The voiced text parts are
 * consumed (kept too with {@link Builder#keepText(boolean) keepText(true)}). Every other part passes
 * through unchanged, in order: it first ends the sentence in progress, whose audio comes before it. An
 * {@link Part#interrupted()} part drops the text not yet voiced, and the sentences waiting to be voiced,
 * and stops the one being voiced, then passes through.
 *
 * <p><b>Threads and blocking.</b> Synthesis blocks, so it runs on the {@link Builder#scheduler(Scheduler)
 * scheduler} ({@code Schedulers.boundedElastic()} by default), one sentence at a time per subscription,
 * with the synthesizer's own rules across subscriptions (FreeTTS serialises them).
 *
 * <p><b>Buffering.</b> Text is held until its sentence ends, at most {@link Builder#maxSentenceChars(int)
 * maxSentenceChars} (400) characters (longer text is cut at a space); up to 32 parts and sentences wait
 * for the synthesis ahead of them, and then the input waits; one sentence's audio may be held if
 * downstream asks for less than the engine makes.
 *
 * <p><b>Errors</b> of the synthesizer fail the output with its exception. <b>Cancellation</b> stops the
 * sentence being voiced and drops the rest. Each subscription has its own sentence state; the
 * synthesizer is shared and is not closed by this processor.
 */
public final class TextToSpeech implements Processor {

  private static final int QUEUED_UNITS = 32;

  final SpeechSynthesizer synthesizer;
  final boolean keepText;
  final boolean firstClause;
  final Predicate<Part> voiced;
  final int maxSentenceChars;
  final Scheduler scheduler;

  private TextToSpeech(Builder b) {
    this.synthesizer = b.synthesizer;
    this.keepText = b.keepText;
    this.firstClause = b.firstClause;
    this.voiced = b.voiced;
    this.maxSentenceChars = b.maxSentenceChars;
    this.scheduler = b.scheduler;
  }

  /**
   * A builder for a processor over this synthesizer, with the defaults described on each setter.
   *
   * @param synthesizer the engine that speaks
   * @return a new builder
   */
  public static Builder builder(SpeechSynthesizer synthesizer) {
    return new Builder(Objects.requireNonNull(synthesizer, "synthesizer"));
  }

  /**
   * The default choice of text parts to voice: text on the default substream that is not a control part
   * (end of turn, interruption, generation complete) or an exception report.
   *
   * @param part any part
   * @return whether the default choice voices it
   */
  public static boolean isSpeakable(Part part) {
    return part.isText()
        && part.substream().isEmpty()
        && !part.isEndOfTurn()
        && !part.isInterrupted()
        && !part.isGenerationComplete()
        && !part.isException();
  }

  /**
   * The synthesizer doing the work.
   *
   * @return the synthesizer
   */
  public SpeechSynthesizer synthesizer() {
    return synthesizer;
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Objects.requireNonNull(input, "input");
    return Flux.defer(
        () -> {
          SentenceSplitter splitter = new SentenceSplitter(maxSentenceChars, firstClause);
          AtomicInteger epoch = new AtomicInteger();
          return input
              .concatMapIterable(part -> units(splitter, epoch, part))
              .concatWith(
                  Flux.defer(
                      () -> {
                        String rest = splitter.flush();
                        return rest.isEmpty()
                            ? Flux.empty()
                            : Flux.just(Unit.sentence(rest, epoch.get()));
                      }))
              .concatMap(
                  unit -> unit.sentence == null ? Mono.justOrEmpty(unit.part) : voice(unit, epoch),
                  QUEUED_UNITS);
        });
  }

  @Override
  public String toString() {
    return "TextToSpeech[" + synthesizer.name() + "]";
  }

  private List<Unit> units(SentenceSplitter splitter, AtomicInteger epoch, Part part) {
    List<Unit> units = new ArrayList<>(2);
    if (voiced.test(part)) {
      if (keepText) {
        units.add(Unit.pass(part));
      }
      for (String sentence : splitter.add(part.text())) {
        units.add(Unit.sentence(sentence, epoch.get()));
      }
    } else if (part.isInterrupted()) {
      splitter.clear();
      epoch.incrementAndGet();
      units.add(Unit.pass(part));
    } else {
      String rest = splitter.flush();
      if (!rest.isEmpty()) {
        units.add(Unit.sentence(rest, epoch.get()));
      }
      units.add(Unit.pass(part));
    }
    return units;
  }

  private Flux<Part> voice(Unit unit, AtomicInteger epoch) {
    String sentence = Objects.requireNonNull(unit.sentence);
    return Flux.<Part>create(
            sink -> {
              AtomicBoolean stopped = new AtomicBoolean();
              sink.onDispose(() -> stopped.set(true));
              if (unit.epoch != epoch.get()) {
                sink.complete();
                return;
              }
              try {
                synthesizer.synthesize(
                    sentence,
                    (pcm, rate) -> {
                      if (stopped.get() || unit.epoch != epoch.get()) {
                        return false;
                      }
                      sink.next(
                          Part.audio(pcm, rate)
                              .withRole("model")
                              .withMetadata(PartMetadata.SPOKEN_TEXT, sentence));
                      return true;
                    });
                sink.complete();
              } catch (RuntimeException | Error e) {
                if (stopped.get()) {
                  sink.complete();
                } else {
                  sink.error(e);
                }
              }
            })
        .subscribeOn(scheduler);
  }

  /** A part to pass through, or a sentence to voice. */
  private static final class Unit {
    final @Nullable Part part;
    final @Nullable String sentence;

    /** The interruption count when the sentence was cut; a later interruption cancels it. */
    final int epoch;

    private Unit(@Nullable Part part, @Nullable String sentence, int epoch) {
      this.part = part;
      this.sentence = sentence;
      this.epoch = epoch;
    }

    static Unit pass(Part part) {
      return new Unit(part, null, 0);
    }

    static Unit sentence(String sentence, int epoch) {
      return new Unit(null, sentence, epoch);
    }
  }

  /** Configures a {@link TextToSpeech}. */
  public static final class Builder {
    private final SpeechSynthesizer synthesizer;
    private boolean keepText;
    private boolean firstClause;
    private Predicate<Part> voiced = TextToSpeech::isSpeakable;
    private int maxSentenceChars = 400;
    private Scheduler scheduler = Schedulers.boundedElastic();

    private Builder(SpeechSynthesizer synthesizer) {
      this.synthesizer = synthesizer;
    }

    /**
     * Whether voiced text parts also pass through, ahead of their audio (default false: consumed).
     *
     * @param keepText true to pass voiced text parts on as well
     * @return this builder
     */
    public Builder keepText(boolean keepText) {
      this.keepText = keepText;
      return this;
    }

    /**
     * Whether each answer's first clause is voiced as soon as it is complete, ahead of the rest of its
     * sentence (default false: sentence by sentence). An answer starts at the start of the input and
     * after each part that is not voiced (an end of turn). This cuts the time to the first audio by the
     * time the model takes to stream the rest of its first sentence, at the cost of a short pause in
     * the voice after the first clause.
     *
     * @param firstClause true to voice each answer's first clause at once
     * @return this builder
     */
    public Builder firstClause(boolean firstClause) {
      this.firstClause = firstClause;
      return this;
    }

    /**
     * Which text parts to voice (default {@link TextToSpeech#isSpeakable}); must only accept text parts.
     *
     * @param voiced true for the text parts to voice
     * @return this builder
     */
    public Builder voiced(Predicate<Part> voiced) {
      Objects.requireNonNull(voiced, "voiced");
      this.voiced = part -> part.isText() && voiced.test(part);
      return this;
    }

    /**
     * The longest text voiced at once without a sentence ending; 20 to 10,000, default 400.
     *
     * @param maxSentenceChars the most characters, 20 to 10,000
     * @return this builder
     */
    public Builder maxSentenceChars(int maxSentenceChars) {
      this.maxSentenceChars = maxSentenceChars;
      return this;
    }

    /**
     * Where synthesis runs; its threads must be allowed to block. Default {@code
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
     * @return a new text-to-speech processor
     * @throws IllegalArgumentException when {@code maxSentenceChars} is out of range
     */
    public TextToSpeech build() {
      if (maxSentenceChars < 20 || maxSentenceChars > 10_000) {
        throw new IllegalArgumentException(
            "invalid TextToSpeech settings: maxSentenceChars must be from 20 to 10000, was "
                + maxSentenceChars);
      }
      return new TextToSpeech(this);
    }
  }
}
