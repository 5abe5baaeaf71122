package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Resampler;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.WavAudio;
import dev.genaiprocessors.audio.vad.Vad;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.metrics.RealTimeMetrics;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.offline.realtime.LocalLiveProcessor;
import dev.genaiprocessors.offline.realtime.LocalRealtimeProvider;
import dev.genaiprocessors.offline.responder.IntentTable;
import dev.genaiprocessors.offline.responder.OfflineResponder;
import dev.genaiprocessors.offline.stt.SphinxRecognizer;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Voice latency of the local voice pipeline on the real clock: from the end of the user's speech to
 * the first audio out, stage by stage, over a scripted conversation of real recorded speech. Not a JMH
 * benchmark, since what it measures is time itself:
 *
 * <pre>{@code
 * java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.OfflineVoiceLatency 4
 * }</pre>
 *
 * <p>A second argument {@code cold} skips the warm-up at start-up.
 *
 * <p><b>The conversation.</b> The five {@code cards} recordings of Debian's {@code pocketsphinx-testdata}
 * (real human speakers, 16 kHz), said in turn, {@code rounds} times (argument, default 4), into one
 * session of the local provider ({@link LocalRealtimeProvider}: energy VAD, Sphinx4 in grammar mode with
 * the five transcripts as its phrases, the {@link OfflineResponder} with one intent whose examples are the
 * phrases, FreeTTS, the rate limiter, 24 kHz out), warmed up at start-up with
 * {@link LocalLiveProcessor#warmUp()} and {@link OfflineResponder#load()}. Audio goes in as a microphone gives it: 20 ms frames at
 * playback speed, room noise (about -50 dBFS, the recordings' background level) between turns; the next turn starts 500 ms after the answer's end of turn.
 *
 * <p><b>Stages</b>, timed per turn with {@code System.nanoTime()} where the parts pass:
 * <ol>
 *   <li><b>speech end</b>: the send time of the frame where the recording's words end (its last frame
 *       within 25 dB of its loudest; the rest is the room);
 *   <li><b>VAD end</b>: when an identical {@link Vad}, fed the same frames, emits its end of speech (the
 *       VAD is deterministic, so the provider's own emits it on the same frame);
 *   <li><b>transcript in</b>: the final transcription reaches the responder's prompt;
 *   <li><b>prompt end</b>: the live processor ends the prompt (the turn's trigger);
 *   <li><b>first token</b>: the responder's first word; <b>first sentence</b>: its text has a sentence
 *       ending followed by white space (or it ended);
 *   <li><b>first audio</b>: the first audio part out of the provider (after TTS, rate limiter, resampler).
 * </ol>
 * The {@link RealTimeMetrics} of the metrics issue observe the provider (stage {@code local}); its
 * timers (from the final transcription out to the first content and the first audio) are printed with
 * p50 and p99.
 *
 * <p><b>Floor</b>, in the same run, after the conversation: each engine called directly, warm, with no
 * framework: Sphinx4 fed the same audio at playback speed, timed from the end of its stream (the VAD's
 * hangover and a second of padding, as the pipeline feeds it) to its result; the responder's first
 * token; FreeTTS's first audio chunk of the reply's first sentence.
 */
public final class OfflineVoiceLatency {

  private static final Path CARDS = Path.of("/usr/share/pocketsphinx/test/data/cards");
  private static final Pattern LINE = Pattern.compile("^<s>\\s*(.*?)\\s*</s>\\s*\\((\\S+)\\)\\s*$");
  private static final int RATE = 16_000;
  private static final int FRAME_BYTES = 640;
  private static final long FRAME_NANOS = 20_000_000L;
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\"')]*\\s");
  private static final List<String> REPLIES =
      List.of(
          "Right, I heard a card. Say the next one, please.",
          "Thank you, that card is noted. What is the next one?");

  /** Events of a turn, indices into {@link Turn#at}. */
  private static final int SPEECH_END = 0;

  private static final int VAD_END = 1;
  private static final int TRANSCRIPT_IN = 2;
  private static final int TRANSCRIPT_OUT = 3;
  private static final int PROMPT_END = 4;
  private static final int FIRST_TOKEN = 5;
  private static final int FIRST_SENTENCE = 6;
  private static final int FIRST_AUDIO = 7;
  private static final int ANSWER_END = 8;
  private static final int EVENTS = 9;

  /** A recording, its transcript, and where its words end (bytes from its start). */
  private record Utterance(String id, String text, byte[] pcm, int speechEnd) {}

  /** One turn: when each event first happened, in nanoTime; 0 while not yet. */
  private static final class Turn {
    final int index;
    final Utterance utterance;
    final long[] at = new long[EVENTS];
    volatile String heard = "";
    volatile int vadStarts;
    volatile int vadEnds;

    Turn(int index, Utterance utterance) {
      this.index = index;
      this.utterance = utterance;
    }

    synchronized void mark(int event, long now) {
      if (at[event] == 0) {
        at[event] = now;
      }
    }

    synchronized void set(int event, long now) {
      at[event] = now;
    }

    synchronized long get(int event) {
      return at[event];
    }

    /** Milliseconds from one event to another, NaN when either is missing. */
    synchronized double ms(int from, int to) {
      return at[from] == 0 || at[to] == 0 ? Double.NaN : (at[to] - at[from]) / 1e6;
    }
  }

  private static volatile Turn current;
  private static final boolean TRACE = Boolean.getBoolean("trace");
  private static final long T0 = System.nanoTime();

  private OfflineVoiceLatency() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    // "cold" skips the warm-up (and so runs against classes that have none, for the "before"
    // figures).
    boolean warmUp = !(args.length > 1 && args[1].equals("cold"));
    if (rounds < 1) {
      throw new IllegalArgumentException(
          "give the number of rounds of the five recordings, at least 1");
    }
    List<Utterance> cards = loadCards();
    List<String> phrases = cards.stream().map(Utterance::text).toList();
    IntentTable table =
        IntentTable.of(
            List.of(new IntentTable.Intent("card", phrases, REPLIES)),
            List.of("Sorry, I did not hear a card. Please say it again."));

    MeterRegistry registry = new SimpleMeterRegistry();
    // The metrics publish p50 and p95; p99 is asked for here as well.
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder()
                    .percentiles(0.5, 0.95, 0.99)
                    .build()
                    .merge(config);
              }
            });
    RealTimeMetrics metrics =
        RealTimeMetrics.builder().registry(registry).conversation("cards").build();

    OfflineResponder responder = OfflineResponder.builder().intents(table).build();
    LocalRealtimeProvider provider =
        LocalRealtimeProvider.builder()
            .recognizer(() -> SphinxRecognizer.grammar(phrases))
            .responder(config -> probe(responder))
            .build();
    LocalLiveProcessor local =
        (LocalLiveProcessor) provider.create(RealtimeConfig.defaults(), Map.of());
    if (warmUp) {
      // At start-up, before the first user: the documented warm-up of the processor's engines, and
      // the responder's own load (the probe hides it from the processor's warm-up).
      long warmUpStart = System.nanoTime();
      local.warmUp().then(responder.load()).block();
      System.out.printf("warm-up at start-up: %.0f ms%n", (System.nanoTime() - warmUpStart) / 1e6);
    } else {
      System.out.println("no warm-up: the engines load when first used");
    }
    long built = System.nanoTime();
    LiveProcessor live = metrics.observe(local);

    List<Turn> turns = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (Utterance u : cards) {
        turns.add(new Turn(turns.size() + 1, u));
      }
    }
    System.out.printf(
        "OfflineVoiceLatency: %d turns (%d rounds of %d recordings), JDK %s, %d cores%n",
        turns.size(),
        rounds,
        cards.size(),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());

    converse(live, turns, built);
    report(turns, registry);
    metrics.close();

    floor(cards, phrases, table, 1);
  }

  /** Runs the scripted conversation through one session, pacing the audio on this thread. */
  private static void converse(LiveProcessor live, List<Turn> turns, long built) {
    Sinks.Many<Part> mic = Sinks.many().unicast().onBackpressureBuffer();
    Sinks.Many<Part> shadowIn = Sinks.many().unicast().onBackpressureBuffer();
    Disposable shadow =
        shadowIn
            .asFlux()
            .transform(Vad.builder().build())
            .subscribe(
                p -> {
                  Turn t = current;
                  if (p.isEndOfSpeech() && t != null) {
                    t.mark(VAD_END, System.nanoTime());
                    t.vadEnds++;
                  }
                  if (p.isStartOfSpeech() && t != null) {
                    t.vadStarts++;
                  }
                });
    AtomicLong interruptions = new AtomicLong();
    Disposable session =
        mic.asFlux()
            .transform(live)
            .subscribe(
                p -> {
                  long now = System.nanoTime();
                  Turn t = current;
                  if (TRACE && (!p.isAudio() || (t != null && t.get(FIRST_AUDIO) == 0))) {
                    System.out.printf(
                        "  %d ms turn %s: %s%n",
                        (now - T0) / 1_000_000,
                        t == null ? "-" : t.index,
                        p.isAudio() ? "audio" : p);
                  }
                  if (t == null) {
                    return;
                  }
                  if (p.isFinalTranscription()
                      && Substreams.INPUT_TRANSCRIPTION.equalsIgnoreCase(p.substream())) {
                    t.heard = p.text();
                    t.mark(TRANSCRIPT_OUT, now);
                  } else if (t.get(TRANSCRIPT_OUT) == 0) {
                    return; // the answer to an earlier turn
                  } else if (p.isAudio() && "model".equals(p.role())) {
                    t.mark(FIRST_AUDIO, now);
                  } else if (p.isEndOfTurn() && "model".equals(p.role())) {
                    t.mark(ANSWER_END, now);
                  } else if (p.isInterrupted()) {
                    interruptions.incrementAndGet();
                  }
                },
                e -> System.out.println("the session failed: " + e));
    // Between turns the microphone hears the room: noise at about -50 dBFS, the level of the
    // recordings' own background, so that the VAD's noise floor is that of the recordings.
    java.util.Random random = new java.util.Random(21);
    long[] due = {System.nanoTime()};
    Runnable silenceFrame = () -> send(mic, shadowIn, roomTone(random), due);
    // A second of silence first: the VAD learns the room, as with a microphone that was just
    // opened.
    for (int i = 0; i < 50; i++) {
      silenceFrame.run();
    }
    for (Turn t : turns) {
      current = t;
      byte[] pcm = t.utterance.pcm;
      for (int off = 0; off < pcm.length; off += FRAME_BYTES) {
        byte[] frame = Arrays.copyOfRange(pcm, off, off + FRAME_BYTES); // zero-padded at the end
        send(mic, shadowIn, frame, due);
        if (off + FRAME_BYTES == t.utterance.speechEnd) {
          t.set(SPEECH_END, System.nanoTime());
        }
      }
      // Until the answer has ended (or, when nothing was heard, a second after the empty
      // transcript), so that the next turn does not speak over it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (t.get(ANSWER_END) == 0 && System.nanoTime() < deadline) {
        long heardAt = t.get(TRANSCRIPT_OUT);
        if (heardAt != 0 && t.heard.isBlank() && System.nanoTime() - heardAt > 1_000_000_000L) {
          break;
        }
        silenceFrame.run();
      }
      for (int i = 0; i < 25; i++) {
        silenceFrame.run();
      }
      System.out.printf(
          "turn %2d (%s, %.2f s, words end at %.2f s, VAD starts/ends %d/%d): heard '%s'; speech end to first audio %.0f ms%n",
          t.index,
          t.utterance.id,
          Pcm.duration(pcm.length, RATE).toMillis() / 1000.0,
          Pcm.duration(t.utterance.speechEnd, RATE).toMillis() / 1000.0,
          t.vadStarts,
          t.vadEnds,
          t.heard,
          t.ms(SPEECH_END, FIRST_AUDIO));
      if (t.index == 1) {
        System.out.printf(
            "  (the provider was built %.0f ms before the first turn's speech ended)%n",
            (t.get(SPEECH_END) - built) / 1e6);
      }
    }
    current = null;
    mic.tryEmitComplete();
    shadowIn.tryEmitComplete();
    session.dispose();
    shadow.dispose();
    if (interruptions.get() > 0) {
      System.out.println("WARNING: " + interruptions.get() + " answers were interrupted");
    }
  }

  /** A 20 ms frame of room noise at about -50 dBFS. */
  private static byte[] roomTone(java.util.Random random) {
    byte[] frame = new byte[FRAME_BYTES];
    for (int i = 0; i < FRAME_BYTES; i += 2) {
      int sample = (int) Math.round(random.nextGaussian() * 100);
      frame[i] = (byte) sample;
      frame[i + 1] = (byte) (sample >> 8);
    }
    return frame;
  }

  /** Sends one 20 ms frame at its due time. */
  private static void send(
      Sinks.Many<Part> mic, Sinks.Many<Part> shadowIn, byte[] frame, long[] due) {
    due[0] += FRAME_NANOS;
    long wait;
    while ((wait = due[0] - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
    shadowIn.tryEmitNext(Part.audio(frame, RATE));
    mic.tryEmitNext(Part.audio(frame, RATE));
  }

  /** The responder with its prompt and answer timed. */
  private static Processor probe(Processor responder) {
    return input ->
        Flux.defer(
            () -> {
              Turn[] turn = {null};
              StringBuilder text = new StringBuilder();
              return responder
                  .apply(
                      input
                          .doOnNext(
                              p -> {
                                if (p.isText() && "user".equals(p.role())) {
                                  // The live processor puts a final transcription in the prompt as
                                  // user text; the last one is the turn's own (the history's come
                                  // first, when the call starts).
                                  Turn t = current;
                                  if (t != null && t.get(PROMPT_END) == 0) {
                                    turn[0] = t;
                                    t.set(TRANSCRIPT_IN, System.nanoTime());
                                  }
                                }
                              })
                          .doOnComplete(
                              () -> {
                                if (turn[0] != null) {
                                  turn[0].mark(PROMPT_END, System.nanoTime());
                                }
                              }))
                  .doOnNext(
                      p -> {
                        Turn t = turn[0];
                        if (t == null || !p.isText()) {
                          return;
                        }
                        long now = System.nanoTime();
                        t.mark(FIRST_TOKEN, now);
                        text.append(p.text());
                        if (SENTENCE_END.matcher(text).find()) {
                          t.mark(FIRST_SENTENCE, now);
                        }
                      })
                  .doOnComplete(
                      () -> {
                        if (turn[0] != null) {
                          turn[0].mark(FIRST_SENTENCE, System.nanoTime());
                        }
                      });
            });
  }

  private static void report(List<Turn> turns, MeterRegistry registry) {
    String[] names = {
      "hangover: speech end -> VAD end of speech",
      "STT: VAD end -> final transcript at the responder",
      "dispatch: transcript -> prompt end (trigger)",
      "responder: prompt end -> first token",
      "text to audio: first token -> first audio out",
      "  (first token -> first sentence complete)",
      "framework + engines: VAD end -> first audio out",
      "total: speech end -> first audio out",
    };
    int[][] spans = {
      {SPEECH_END, VAD_END},
      {VAD_END, TRANSCRIPT_IN},
      {TRANSCRIPT_IN, PROMPT_END},
      {PROMPT_END, FIRST_TOKEN},
      {FIRST_TOKEN, FIRST_AUDIO},
      {FIRST_TOKEN, FIRST_SENTENCE},
      {VAD_END, FIRST_AUDIO},
      {SPEECH_END, FIRST_AUDIO},
    };
    List<Turn> warm = turns.subList(1, turns.size());
    System.out.printf(
        "%nstage, ms                                               | turn 1 | p50 (turns 2..%d) | p99 (turns 2..%d) | p50 (all) | p99 (all)%n",
        turns.size(), turns.size());
    for (int s = 0; s < names.length; s++) {
      int from = spans[s][0];
      int to = spans[s][1];
      double[] w = values(warm, from, to);
      double[] all = values(turns, from, to);
      System.out.printf(
          "%-55s | %6.0f | %17.1f | %17.1f | %9.1f | %9.1f%n",
          names[s], turns.get(0).ms(from, to), pct(w, 50), pct(w, 99), pct(all, 50), pct(all, 99));
    }
    long missing = turns.stream().filter(t -> t.get(FIRST_AUDIO) == 0).count();
    long wrong = turns.stream().filter(t -> !t.heard.equalsIgnoreCase(t.utterance.text)).count();
    System.out.printf(
        "turns with no audio: %d; transcripts that differ from the recording's: %d%n",
        missing, wrong);
    System.out.println("\nRealTimeMetrics (all turns), ms: count / p50 / p99 / max");
    for (String stage : List.of("local")) {
      for (String name :
          List.of(
              RealTimeMetrics.TIME_TO_FIRST_TOKEN,
              RealTimeMetrics.TIME_TO_FIRST_AUDIO,
              RealTimeMetrics.SPEECH_TO_ANSWER)) {
        Timer timer = registry.find(name).tag("stage", stage).timer();
        if (timer == null || timer.count() == 0) {
          continue;
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
          if (v.percentile() == 0.5) {
            p50 = v.value(TimeUnit.MILLISECONDS);
          } else if (v.percentile() == 0.99) {
            p99 = v.value(TimeUnit.MILLISECONDS);
          }
        }
        System.out.printf(
            "  %-10s %-38s %3d / %7.1f / %7.1f / %7.1f%n",
            stage, name, timer.count(), p50, p99, timer.max(TimeUnit.MILLISECONDS));
      }
    }
  }

  /** Each engine called directly, warm, on this thread: the floor of the stages above. */
  private static void floor(
      List<Utterance> cards, List<String> phrases, IntentTable table, int rounds) throws Exception {
    SphinxRecognizer sphinx = SphinxRecognizer.grammar(phrases);
    OfflineResponder responder = OfflineResponder.builder().intents(table).build();
    FreeTtsSynthesizer voice = FreeTtsSynthesizer.kevin16();
    sphinx.load().block();
    responder.load().block();
    voice.load().block();
    // One call each before timing: the floor is of warm engines.
    sphinx.recognize(new java.io.ByteArrayInputStream(cards.get(0).pcm), s -> {});
    voice.synthesize(REPLIES.get(0), (pcm, rate) -> true);
    List<Double> stt = new ArrayList<>();
    List<Double> answer = new ArrayList<>();
    List<Double> tts = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (Utterance u : cards) {
        stt.add(sttTail(sphinx, u.pcm));
        long t0 = System.nanoTime();
        Part first = responder.apply(Flux.just(Part.inputTranscription(u.text, true))).blockFirst();
        answer.add((System.nanoTime() - t0) / 1e6);
        String reply = REPLIES.get((stt.size() - 1) % REPLIES.size());
        Matcher m = Pattern.compile("^.*?[.!?](\\s|$)").matcher(reply);
        String sentence = m.find() ? m.group().strip() : reply;
        long[] firstChunk = {0};
        long t1 = System.nanoTime();
        voice.synthesize(
            sentence,
            (pcm, rate) -> {
              if (firstChunk[0] == 0) {
                firstChunk[0] = System.nanoTime();
              }
              return true;
            });
        tts.add((firstChunk[0] - t1) / 1e6);
        if (first == null) {
          System.out.println("WARNING: the responder gave no answer");
        }
      }
    }
    sphinx.close();
    voice.close();
    double[] s = sorted(stt);
    double[] a = sorted(answer);
    double[] v = sorted(tts);
    double[] sum = new double[s.length];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = stt.get(i) + answer.get(i) + tts.get(i);
    }
    Arrays.sort(sum);
    System.out.printf(
        "%nfloor: engines called directly, warm, %d calls each, ms: p50 / p99%n", s.length);
    System.out.printf(
        "  Sphinx4: end of its stream (hangover + 1 s padding) -> result  %7.1f / %7.1f%n",
        pct(s, 50), pct(s, 99));
    System.out.printf(
        "  responder: transcript -> first token                         %7.1f / %7.1f%n",
        pct(a, 50), pct(a, 99));
    System.out.printf(
        "  FreeTTS: first sentence -> first chunk                        %7.1f / %7.1f%n",
        pct(v, 50), pct(v, 99));
    System.out.printf(
        "  sum of the three, per turn                                    %7.1f / %7.1f%n",
        pct(sum, 50), pct(sum, 99));
  }

  /**
   * Sphinx4 fed one utterance at playback speed, then 240 ms of silence at playback speed (the energy
   * VAD's hangover) and a second of padding at once (as {@code SpeechToText} ends an utterance); the
   * time from the end of the stream to the result, in ms.
   */
  private static double sttTail(SphinxRecognizer sphinx, byte[] pcm) throws Exception {
    BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    long[] endedAt = {0};
    Thread feeder =
        new Thread(
            () -> {
              long due = System.nanoTime();
              byte[] hangover = new byte[FRAME_BYTES * 12];
              byte[] all = new byte[pcm.length + hangover.length];
              System.arraycopy(pcm, 0, all, 0, pcm.length);
              for (int off = 0; off < all.length; off += FRAME_BYTES) {
                due += FRAME_NANOS;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                  LockSupport.parkNanos(wait);
                }
                chunks.add(Arrays.copyOfRange(all, off, Math.min(all.length, off + FRAME_BYTES)));
              }
              endedAt[0] = System.nanoTime();
              chunks.add(new byte[(int) Pcm.bytes(java.time.Duration.ofSeconds(1), RATE)]);
              chunks.add(new byte[0]);
            },
            "floor-feeder");
    feeder.start();
    sphinx.recognize(new QueueStream(chunks), s -> {});
    long done = System.nanoTime();
    feeder.join();
    return (done - endedAt[0]) / 1e6;
  }

  /** An input stream of the chunks a feeder thread puts in a queue; an empty chunk ends it. */
  private static final class QueueStream extends InputStream {
    private final BlockingQueue<byte[]> chunks;
    private byte[] chunk = new byte[0];
    private int pos;
    private boolean ended;

    QueueStream(BlockingQueue<byte[]> chunks) {
      this.chunks = chunks;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (pos == chunk.length) {
        if (ended) {
          return -1;
        }
        try {
          chunk = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        pos = 0;
        if (chunk.length == 0) {
          ended = true;
        }
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  private static List<Utterance> loadCards() throws IOException {
    if (!Files.isDirectory(CARDS)) {
      throw new IllegalStateException(
          "no recorded speech at " + CARDS + ": apt-get install pocketsphinx-testdata");
    }
    List<Utterance> cards = new ArrayList<>();
    for (String line : Files.readAllLines(CARDS.resolve("cards.transcription"))) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        WavAudio audio = Wav.decode(Files.readAllBytes(CARDS.resolve(m.group(2) + ".wav")));
        byte[] pcm = at16k(audio);
        cards.add(new Utterance(m.group(2), m.group(1).strip(), pcm, speechEnd(pcm)));
      }
    }
    return cards;
  }

  /**
   * Where the words of a recording end: after its last 20 ms frame within 25 dB of its loudest frame
   * (the recordings' background is 30 to 40 dB below their speech), in bytes from its start.
   */
  private static int speechEnd(byte[] pcm) {
    int frames = pcm.length / FRAME_BYTES;
    double[] db = new double[frames];
    double peak = -200;
    for (int f = 0; f < frames; f++) {
      float[] x = Pcm.toFloats(Arrays.copyOfRange(pcm, f * FRAME_BYTES, (f + 1) * FRAME_BYTES));
      double energy = 0;
      for (float v : x) {
        energy += v * v;
      }
      db[f] = 10 * Math.log10(Math.max(1e-12, energy / x.length));
      peak = Math.max(peak, db[f]);
    }
    int last = frames - 1;
    while (last > 0 && db[last] < peak - 25) {
      last--;
    }
    return (last + 1) * FRAME_BYTES;
  }

  private static byte[] at16k(WavAudio audio) {
    if (audio.sampleRate() == RATE) {
      return audio.pcm16le();
    }
    Resampler resampler = new Resampler(audio.sampleRate(), RATE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(resampler.process(ByteBuffer.wrap(audio.pcm16le())));
    out.writeBytes(resampler.flush());
    return out.toByteArray();
  }

  private static double[] values(List<Turn> turns, int from, int to) {
    return turns.stream()
        .mapToDouble(t -> t.ms(from, to))
        .filter(d -> !Double.isNaN(d))
        .sorted()
        .toArray();
  }

  private static double[] sorted(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** Nearest-rank percentile of sorted values; NaN when there are none. */
  private static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
