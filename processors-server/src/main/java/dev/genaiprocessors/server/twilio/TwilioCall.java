package dev.genaiprocessors.server.twilio;

import dev.genaiprocessors.audio.G711;
import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Resampler;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One phone call on a Media Streams WebSocket: turns Twilio's messages into parts for the pipeline
 * ({@link #receive(String)}) and the pipeline's parts into messages for Twilio ({@link #send(Part)}).
 *
 * <p><b>Audio in.</b> The caller's μ-law at 8 kHz becomes {@code audio/pcm} parts (role {@code user}) at
 * the pipeline's input rate, through the audio module's {@link G711} codec and {@link Resampler}.
 *
 * <p><b>Audio out.</b> Audio parts at any rate are resampled to 8 kHz, encoded as μ-law and sent as
 * {@code media} messages of at most {@value #CHUNK_MILLIS} ms, each followed by a {@code mark}. Twilio sends
 * a mark back once the audio before it has played, so each mark that comes back is reported to the
 * {@link PlaybackListener} as {@code released}: that audio was heard, and ended playing when the mark
 * arrived. An end-of-turn part flushes the resampler's few held-back milliseconds.
 *
 * <p><b>Barge-in.</b> An {@link Part#isInterrupted() interrupted} part sends {@code clear} at once: Twilio
 * drops what it holds. The audio of the marks not yet back is reported as {@code dropped}, and those marks,
 * which Twilio sends back after a {@code clear}, are then ignored. (A mark Twilio sent just before the clear
 * reached it, and that arrives after, counts as not heard: the history errs on the side of less.)
 *
 * <p><b>Other parts</b> (text, transcripts, status) have no place on a phone line and give no message.
 * {@code dtmf} gives no part (it is logged at debug). Audio sent before {@code start} cannot be addressed to
 * a stream: it is reported as dropped.
 *
 * <p><b>Bounds.</b> Marks awaited: at most {@value #MAX_PENDING_MARKS} ({@value #CHUNK_MILLIS} ms each, so
 * {@value #MAX_PENDING_MARKS} × {@value #CHUNK_MILLIS} ms of audio queued at Twilio); beyond it the oldest
 * is forgotten (never reported) and counted in {@link #forgottenMarks()}. Cleared marks still to come back:
 * the same bound, oldest forgotten.
 *
 * <p><b>Errors.</b> {@link #receive} throws {@link TwilioProtocolException} for a message that breaks the
 * protocol; the call's state is unchanged then, and the server closes the WebSocket. <b>Threads.</b> Both
 * methods may be called from different threads; they are synchronized and short. The listener is called
 * inside them, one call at a time, in the order things happened.
 */
public final class TwilioCall {
  private static final Logger log = LoggerFactory.getLogger(TwilioCall.class);

  /** The longest {@code media} message sent, in milliseconds of audio. */
  public static final int CHUNK_MILLIS = 100;

  /** The most marks awaited at once. */
  public static final int MAX_PENDING_MARKS = 3000;

  /** Twilio's only media format. */
  static final String ENCODING = "audio/x-mulaw";

  static final int RATE = 8000;

  /** A {@code media} message sent and its mark: the audio as 8 kHz PCM, for the listener. */
  private record Pending(String name, Part audio, double durationMillis) {}

  private final int inputRate;
  private final PlaybackListener listener;
  private final Scheduler scheduler;
  private final Resampler fromCaller;

  private TwilioEvent.@Nullable Start start;
  private boolean stopped;
  private @Nullable Resampler toCaller;
  private @Nullable Part lastOut;
  private long markSequence;
  private long forgotten;

  /** Bound: {@link #MAX_PENDING_MARKS}, oldest forgotten (see the class comment). */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** Bound: {@link #MAX_PENDING_MARKS}, oldest forgotten. */
  private final LinkedHashSet<String> cleared = new LinkedHashSet<>();

  private TwilioCall(Builder b) {
    this.inputRate = b.inputSampleRate;
    this.listener = b.listener;
    this.scheduler = b.scheduler;
    this.fromCaller = new Resampler(RATE, inputRate);
  }

  /**
   * A builder with the defaults: input at 16 kHz, no listener, {@code Schedulers.parallel()}'s clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads one text frame from Twilio.
   *
   * @param text the frame
   * @return the parts for the pipeline: audio for {@code media} on the inbound track, none for the other
   *     events but {@code stop}, which gives the resampler's last few milliseconds
   * @throws TwilioProtocolException when the message breaks the protocol (see {@link
   *     TwilioProtocolException}); nothing changes then
   */
  public synchronized List<Part> receive(String text) {
    TwilioEvent event = TwilioWire.parse(text);
    if (stopped) {
      throw new TwilioProtocolException(
          "a '" + name(event) + "' message after stop; stop is the last message of a stream");
    }
    if (event instanceof TwilioEvent.Connected) {
      if (start != null) {
        throw new TwilioProtocolException(
            "a 'connected' message after start; Twilio sends connected first, once");
      }
      return List.of();
    }
    if (event instanceof TwilioEvent.Start s) {
      if (start != null) {
        throw new TwilioProtocolException("a second 'start' message; a stream starts once");
      }
      if (!ENCODING.equals(s.encoding()) || s.sampleRate() != RATE || s.channels() != 1) {
        throw new TwilioProtocolException(
            "a stream of "
                + s.encoding()
                + " at "
                + s.sampleRate()
                + " Hz with "
                + s.channels()
                + " channels; Media Streams carry "
                + ENCODING
                + " at 8000 Hz, mono");
      }
      start = s;
      return List.of();
    }
    TwilioEvent.@Nullable Start started = start;
    String streamSid = streamSidOf(event);
    if (started == null) {
      throw new TwilioProtocolException(
          "a '" + name(event) + "' message before start; Twilio sends start first");
    }
    if (!started.streamSid().equals(streamSid)) {
      throw new TwilioProtocolException(
          "a '"
              + name(event)
              + "' message for another stream than the one started; one WebSocket carries one stream");
    }
    if (event instanceof TwilioEvent.Media m) {
      if (!m.isInbound() || m.ulaw().length == 0) {
        return List.of();
      }
      byte[] pcm = fromCaller.process(ByteBuffer.wrap(G711.decodeUlaw(m.ulaw())));
      return pcm.length == 0 ? List.of() : List.of(Part.audio(pcm, inputRate).withRole("user"));
    }
    if (event instanceof TwilioEvent.Mark mark) {
      heard(mark.name());
      return List.of();
    }
    if (event instanceof TwilioEvent.Dtmf) {
      log.debug("dtmf on stream {} ignored", streamSid);
      return List.of();
    }
    stopped = true;
    byte[] tail = fromCaller.flush();
    return tail.length == 0 ? List.of() : List.of(Part.audio(tail, inputRate).withRole("user"));
  }

  /**
   * Writes one part of the pipeline's output.
   *
   * @param part the part
   * @return the messages for Twilio, in order: {@code media} and {@code mark} pairs for audio, {@code
   *     clear} for an interruption, none for other parts
   * @throws IllegalArgumentException when an audio part is not streaming PCM with a rate
   */
  public synchronized List<String> send(Part part) {
    if (part.isInterrupted()) {
      return interrupt();
    }
    if (part.isAudio()) {
      int rate = rateOf(part);
      Resampler r = toCaller;
      List<String> out = new ArrayList<>();
      if (r != null && r.inputRate() != rate && lastOut != null) {
        out.addAll(audio(lastOut, r.flush()));
        r = null;
      }
      if (r == null) {
        r = new Resampler(rate, RATE);
        toCaller = r;
      }
      lastOut = part;
      out.addAll(audio(part, r.process(part.byteBuffer())));
      return out;
    }
    if (part.isEndOfTurn() && toCaller != null && lastOut != null) {
      return audio(lastOut, toCaller.flush());
    }
    return List.of();
  }

  /**
   * The {@code start} message, once received.
   *
   * @return it, or null before it
   */
  public synchronized TwilioEvent.@Nullable Start started() {
    return start;
  }

  /**
   * Whether {@code stop} was received: the caller's audio has ended.
   *
   * @return true after {@code stop}
   */
  public synchronized boolean stopped() {
    return stopped;
  }

  /**
   * How many marks were forgotten because more than {@link #MAX_PENDING_MARKS} were awaited.
   *
   * @return the count
   */
  public synchronized long forgottenMarks() {
    return forgotten;
  }

  private static int rateOf(Part audio) {
    OptionalInt rate = MimeTypes.sampleRate(audio.mimeType());
    if (!MimeTypes.isStreamingAudio(audio.mimeType()) || rate.isEmpty()) {
      throw new IllegalArgumentException(
          "a phone call plays streaming audio (audio/pcm;rate=...), not '"
              + audio.mimeType()
              + "': decode WAV with Wav.toPcmPart before the call");
    }
    return rate.getAsInt();
  }

  private List<String> interrupt() {
    TwilioEvent.@Nullable Start s = start;
    if (toCaller != null) {
      toCaller.flush(); // the held-back tail is stale
    }
    List<Part> dropped = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      dropped.add(p.audio());
      remember(p.name());
    }
    pending.clear();
    if (!dropped.isEmpty()) {
      report(() -> listener.dropped(dropped, now()));
    }
    return s == null ? List.of() : List.of(TwilioWire.clear(s.streamSid()));
  }

  private List<String> audio(Part source, byte[] pcm8k) {
    if (pcm8k.length == 0) {
      return List.of();
    }
    TwilioEvent.@Nullable Start s = start;
    if (s == null) {
      Part lost = Pcm.withAttributesOf(source, Part.audio(pcm8k, RATE));
      log.debug("{} bytes of audio before start dropped", pcm8k.length);
      report(() -> listener.dropped(List.of(lost), now()));
      return List.of();
    }
    int chunkBytes = RATE / 1000 * CHUNK_MILLIS * Pcm.BYTES_PER_SAMPLE;
    List<String> out = new ArrayList<>();
    for (int from = 0; from < pcm8k.length; from += chunkBytes) {
      byte[] piece = Arrays.copyOfRange(pcm8k, from, Math.min(pcm8k.length, from + chunkBytes));
      String name = "a" + (++markSequence);
      if (pending.size() == MAX_PENDING_MARKS) {
        pending.removeFirst(); // policy: forget the oldest
        forgotten++;
      }
      Part audio = Pcm.withAttributesOf(source, Part.audio(piece, RATE));
      pending.addLast(new Pending(name, audio, Pcm.samples(piece.length) * 1000.0 / RATE));
      out.add(TwilioWire.media(s.streamSid(), G711.encodeUlaw(piece)));
      out.add(TwilioWire.mark(s.streamSid(), name));
    }
    return out;
  }

  /** A mark came back: it and every mark before it have played. */
  private void heard(String name) {
    if (cleared.remove(name)) {
      return;
    }
    boolean known = false;
    for (Pending p : pending) {
      if (p.name().equals(name)) {
        known = true;
        break;
      }
    }
    if (!known) {
      log.debug("mark '{}' came back but was not awaited; ignored", name);
      return;
    }
    List<Pending> played = new ArrayList<>();
    Pending p;
    do {
      p = pending.removeFirst();
      played.add(p);
    } while (!p.name().equals(name));
    long now = now();
    double end = now;
    for (int i = played.size() - 1; i >= 0; i--) {
      end -= played.get(i).durationMillis();
    }
    double startAt = end;
    for (Pending each : played) {
      long at = Math.round(startAt);
      report(() -> listener.released(each.audio(), at, each.durationMillis()));
      startAt += each.durationMillis();
    }
  }

  private void remember(String clearedName) {
    if (cleared.size() == MAX_PENDING_MARKS) {
      Iterator<String> oldest = cleared.iterator();
      oldest.next();
      oldest.remove(); // policy: forget the oldest
    }
    cleared.add(clearedName);
  }

  private long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  private static void report(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("PlaybackListener threw; ignored", e);
    }
  }

  private static String streamSidOf(TwilioEvent event) {
    if (event instanceof TwilioEvent.Media m) {
      return m.streamSid();
    }
    if (event instanceof TwilioEvent.Mark m) {
      return m.streamSid();
    }
    if (event instanceof TwilioEvent.Dtmf d) {
      return d.streamSid();
    }
    return ((TwilioEvent.Stop) event).streamSid();
  }

  private static String name(TwilioEvent event) {
    return event.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** Settings of a {@link TwilioCall}. Not thread-safe; build once. */
  public static final class Builder {
    private int inputSampleRate = 16000;
    private PlaybackListener listener = PlaybackListener.NONE;
    private Scheduler scheduler = Schedulers.parallel();

    private Builder() {}

    /**
     * The rate the pipeline takes audio at; the caller's 8 kHz is resampled to it.
     *
     * @param rate samples per second, from {@link Resampler#MIN_SAMPLE_RATE} to {@link
     *     Resampler#MAX_SAMPLE_RATE}; default 16000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder inputSampleRate(int rate) {
      if (rate < Resampler.MIN_SAMPLE_RATE || rate > Resampler.MAX_SAMPLE_RATE) {
        throw new IllegalArgumentException(
            "input sample rate "
                + rate
                + " Hz is out of range "
                + Resampler.MIN_SAMPLE_RATE
                + "-"
                + Resampler.MAX_SAMPLE_RATE);
      }
      this.inputSampleRate = rate;
      return this;
    }

    /**
     * Told which audio the caller heard (marks come back) and which a {@code clear} dropped; for example
     * the heard history of a live processor. Times are on the {@link #scheduler}'s clock.
     *
     * @param listener the listener; default {@link PlaybackListener#NONE}
     * @return this builder
     */
    public Builder listener(PlaybackListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The clock of the listener's times.
     *
     * @param scheduler the scheduler; default {@code Schedulers.parallel()}
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The call.
     *
     * @return a new call, before {@code connected}
     */
    public TwilioCall build() {
      return new TwilioCall(this);
    }
  }
}
