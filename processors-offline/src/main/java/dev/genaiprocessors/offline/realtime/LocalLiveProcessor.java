package dev.genaiprocessors.offline.realtime;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.audio.Resample;
import dev.genaiprocessors.audio.speech.SpeechRecognizer;
import dev.genaiprocessors.audio.vad.Vad;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.LiveModelProcessor;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.TurnTrigger;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.offline.responder.OfflineResponder;
import dev.genaiprocessors.offline.stt.SpeechToText;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import dev.genaiprocessors.offline.tts.TextToSpeech;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * The local live provider ({@code local}): the user's audio through the VAD and speech-to-text, a
 * turn-based responder made live by {@link LiveModelProcessor}, its answer voiced by FreeTTS and paced
 * by the {@link AudioRateLimiter}. Nothing leaves the machine.
 *
 * <p><b>Parts in</b>, as {@link LiveProcessor} documents them: audio at any rate (the VAD and the
 * recognizer resample it); text with {@code turn_complete} (a typed message, answered at once); an empty
 * end-of-turn part (answer now); start-/end-of-speech parts in manual mode (they cut the utterances in
 * place of the VAD); an audio-stream-end part (dropped: the VAD has ended the utterance);
 * {@link Part#interrupted()} (cuts the answer under way, as speaking over it does); a
 * function result (held until the answer that called the function is over, then given to the responder
 * as a new prompt). <b>Parts out</b>: final input transcriptions, the answer's text as output
 * transcriptions, its audio at the config's output rate (role {@code model}), function calls,
 * {@link Part#interrupted()}, and an end-of-turn part per answer.
 *
 * <p><b>Buffering.</b> Function results waiting for their answer to end: at most 64 (more fail the
 * output with an {@link IllegalStateException}); the rest is bounded as each engine documents. When the
 * input ends, results still held are dropped and the answer under way is let finish.
 *
 * <p><b>Latency.</b> The answer is voiced from its first clause on (see
 * {@link TextToSpeech.Builder#firstClause(boolean)}), and each conversation starts loading its FreeTTS
 * voice when it is subscribed, so that its first answer does not wait for it. Call {@link #warmUp()} at
 * start-up so that the first conversation does not wait for the models either.
 *
 * <p><b>Threads.</b> The engines are set up (FreeTTS loads its voice) on
 * {@code Schedulers.boundedElastic()} when subscribed, and closed when the output ends. Each
 * subscription is one conversation.
 */
public final class LocalLiveProcessor implements LiveProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(LocalLiveProcessor.class);
  private static final int MAX_HELD_RESULTS = 64;

  /** What {@link #warmUp()} voices. */
  static final String WARM_UP_TEXT = "Hello, and welcome.";

  private final RealtimeConfig config;
  private final Processor responder;
  private final SpeechRecognizer recognizer;

  /**
   * A local live processor.
   *
   * @param config the config: detection mode and settings, audio rates
   * @param responder the turn-based model: a finite prompt in, its answer out
   * @param recognizer the speech recognizer of the user's side; closed when the conversation ends
   */
  public LocalLiveProcessor(
      RealtimeConfig config, Processor responder, SpeechRecognizer recognizer) {
    this.config = config;
    this.responder = responder;
    this.recognizer = recognizer;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code local}
   */
  @Override
  public String provider() {
    return "local";
  }

  /**
   * {@inheritDoc}
   *
   * @return the recognizer's rate (audio at other rates is resampled)
   */
  @Override
  public int inputSampleRate() {
    return recognizer.sampleRate();
  }

  /**
   * {@inheritDoc}
   *
   * @return the config's output rate
   */
  @Override
  public int outputSampleRate() {
    return config.outputSampleRate();
  }

  /**
   * Warms the engines up, so that the first answer does not wait for them to load or for the JIT:
   * runs the recognizer once on half a second of silence (Sphinx4 loads its models, about 3 s, and
   * gives an empty transcript, staying as it was), loads the model and the intent examples of an
   * {@link OfflineResponder} (another responder is not called, since a call would be a turn of its
   * own), and voices a short sentence with a FreeTTS voice of its own, closed afterwards. The three
   * run at once on {@code Schedulers.boundedElastic()}. Conversations may start meanwhile: they wait
   * for what is still loading, as they would without a warm-up. Calling it again runs the recognizer
   * and the voice again (cheap once warm).
   *
   * @return completes when the engines are warm; fails with the error of an engine that cannot load,
   *     the same error the conversation would meet
   */
  public Mono<Void> warmUp() {
    Mono<Void> listen =
        Mono.fromCallable(
                () ->
                    recognizer.recognize(
                        new ByteArrayInputStream(new byte[recognizer.sampleRate()]), text -> {}))
            .subscribeOn(Schedulers.boundedElastic())
            .then();
    Mono<Void> answer =
        responder instanceof OfflineResponder offline ? offline.load() : Mono.empty();
    Mono<Void> speak =
        Mono.using(
                FreeTtsSynthesizer::kevin16,
                voice ->
                    Mono.<Void>fromRunnable(
                        () -> voice.synthesize(WARM_UP_TEXT, (pcm, rate) -> true)),
                FreeTtsSynthesizer::close)
            .subscribeOn(Schedulers.boundedElastic());
    return Mono.when(listen, answer, speak);
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.defer(
            () -> {
              FreeTtsSynthesizer voice = FreeTtsSynthesizer.kevin16();
              // Loaded now, while the user speaks, not at the first sentence; a failure to load
              // fails the first sentence, as it would without this.
              voice
                  .load()
                  .subscribe(
                      null,
                      e -> LOG.debug("FreeTTS could not load its voice ahead of the answer", e));
              Processor speak =
                  TextToSpeech.builder(voice).keepText(true).firstClause(true).build();
              LiveModelProcessor live =
                  LiveModelProcessor.builderPerConversation(
                          heard ->
                              responder
                                  .then(speak)
                                  .then(AudioRateLimiter.builder().listener(heard).build()))
                      .triggers(TurnTrigger.FINAL_TRANSCRIPTION, TurnTrigger.END_OF_TURN)
                      .stateParts(false)
                      .build();
              FunctionResults results = new FunctionResults();
              Flux<Part> toModel =
                  input
                      .doOnComplete(results::inputEnded)
                      .publish(
                          in ->
                              Flux.merge(
                                  listen().apply(in.filter(LocalLiveProcessor::isHeard)),
                                  in.filter(p -> !isHeard(p)).concatMapIterable(results::accept),
                                  results.released()));
              Flux<Part> out =
                  live.apply(toModel)
                      .concatMapIterable(results::observe)
                      .map(LocalLiveProcessor::asTranscription);
              int rate = config.outputSampleRate();
              if (rate != FreeTtsSynthesizer.SAMPLE_RATE) {
                // Turn by turn: the resampler's held-back tail leaves before the turn's end part.
                out =
                    out.windowUntil(p -> p.isEndOfTurn() && "model".equals(p.role()), true)
                        .concatMap(turn -> turn.transform(Resample.to(rate)));
              }
              return out.doFinally(
                  signal -> {
                    voice.close();
                    recognizer.close();
                  });
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  @Override
  public String toString() {
    return "LocalLiveProcessor[" + responder + "]";
  }

  /** What the user says, as final transcriptions (the audio itself does not go on). */
  private Processor listen() {
    SpeechToText stt =
        SpeechToText.builder(recognizer).passAudio(false).interimResults(false).build();
    if (config.vadMode() == RealtimeConfig.VadMode.MANUAL) {
      return stt;
    }
    Vad.Builder vad = Vad.builder();
    if (config.vadThreshold() != null) {
      vad.threshold(config.vadThreshold());
    }
    if (config.prefixPadding() != null) {
      vad.padding(config.prefixPadding());
    }
    return vad.build().then(stt);
  }

  /** Audio and the application's speech marks go through the VAD and the recognizer. */
  private static boolean isHeard(Part part) {
    return part.isAudio() || part.isStartOfSpeech() || part.isEndOfSpeech();
  }

  /** The answer's text as output transcription, as the live contract gives what the model said. */
  private static Part asTranscription(Part part) {
    if (part.isText()
        && "model".equals(part.role())
        && part.substream().isEmpty()
        && !part.isEndOfTurn()
        && !part.isThought()
        && !part.text().isEmpty()) {
      return Part.outputTranscription(part.text(), false);
    }
    return part;
  }

  /**
   * Holds function results until the answer that called is over, then releases them with an end of turn
   * so that the responder answers them; turns an interruption into a start of speech (barge-in).
   * Thread-safe: input and output call it from their threads.
   */
  private static final class FunctionResults {
    private final Sinks.Many<Part> released =
        Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(MAX_HELD_RESULTS).get());
    private final List<Part> held = new ArrayList<>();
    private boolean callOpen;

    Flux<Part> released() {
      return released.asFlux();
    }

    /** An input part that is not heard: passes, or is held, or becomes a barge-in. */
    synchronized List<Part> accept(Part part) {
      if (part.isInterrupted()) {
        return List.of(Part.startOfSpeech());
      }
      if (part.hasFlag(PartMetadata.AUDIO_STREAM_END)) {
        // The microphone paused: the VAD has already ended the utterance; nothing for the prompt.
        return List.of();
      }
      if (part.isFunctionResponse()) {
        if (callOpen) {
          if (held.size() >= MAX_HELD_RESULTS) {
            throw new IllegalStateException(
                "more than " + MAX_HELD_RESULTS + " function results wait for the answer to end");
          }
          held.add(part);
          return List.of();
        }
        return List.of(part, Part.endOfTurn());
      }
      return List.of(part);
    }

    /** An output part: watches for calls and for the end of the answer. */
    synchronized List<Part> observe(Part part) {
      if (part.isFunctionCall()) {
        callOpen = true;
      } else if (part.isEndOfTurn() && "model".equals(part.role()) && callOpen) {
        callOpen = false;
        if (!held.isEmpty()) {
          held.forEach(this::release);
          held.clear();
          release(Part.endOfTurn());
        }
      }
      return List.of(part);
    }

    synchronized void inputEnded() {
      if (!held.isEmpty()) {
        LOG.debug("The input ended with {} function results held; they are dropped", held.size());
      }
      held.clear();
      released.tryEmitComplete();
    }

    private void release(Part part) {
      if (released.tryEmitNext(part).isFailure()) {
        LOG.warn("A function result could not be released: the conversation is over");
      }
    }
  }
}
