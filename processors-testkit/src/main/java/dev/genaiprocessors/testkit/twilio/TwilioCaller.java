package dev.genaiprocessors.testkit.twilio;

import dev.genaiprocessors.audio.G711;
import dev.genaiprocessors.audio.Resampler;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.WavAudio;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A phone caller as Twilio Media Streams brings it: connects to a server's WebSocket, sends {@code
 * connected} and {@code start}, then one {@code media} message of μ-law at 8 kHz every 20 ms of the
 * scheduler's clock, following a script (speech, pauses, waiting for the answer), and {@code stop} at the
 * end of the script.
 *
 * <pre>{@code
 * TwilioCallRecord call =
 *     TwilioCaller.builder(URI.create("ws://127.0.0.1:" + port + "/twilio"))
 *         .say(Path.of("question.wav"))
 *         .awaitAnswer(Duration.ofMillis(500), Duration.ofSeconds(20))
 *         .say(Path.of("interruption.wav"))
 *         .pause(Duration.ofSeconds(2))
 *         .build()
 *         .call()
 *         .block(Duration.ofSeconds(60));
 * }</pre>
 *
 * <p><b>The other side, as Twilio does it.</b> Audio the server sends ({@code media}) queues for playback
 * and plays at 8000 samples a second; a {@code mark} goes back once the audio sent before it has played
 * (at once when nothing is queued); a {@code clear} empties the queue and sends back every mark still in it.
 * Anything else the server sends is recorded in {@link TwilioCallRecord#protocolErrors()}, never thrown.
 *
 * <p><b>Bounds.</b> Playback queue: 10 minutes of audio (more is recorded as an error and dropped).
 * Outgoing messages: 4096 (overflow ends the call with an error recorded). Each subscription to {@link
 * #call()} is a new call with a new {@code streamSid}.
 */
public final class TwilioCaller {

  /** One step of the caller's script. */
  sealed interface Segment {
    /** Speech: μ-law at 8 kHz. */
    record Speak(byte[] ulaw) implements Segment {}

    /** Silence for a while. */
    record Pause(long millis) implements Segment {}

    /** Silence until the caller has played this much of the answer, or the timeout. */
    record AwaitAnswer(long playedMillis, long timeoutMillis) implements Segment {}
  }

  private final URI uri;
  private final List<Segment> script;
  private final Map<String, String> customParameters;
  private final Scheduler scheduler;
  private final boolean keepAudio;

  private TwilioCaller(Builder b) {
    this.uri = b.uri;
    this.script = List.copyOf(b.script);
    this.customParameters = Map.copyOf(b.customParameters);
    this.scheduler = b.scheduler;
    this.keepAudio = b.keepAudio;
  }

  /**
   * A builder for calls to a server.
   *
   * @param uri the server's Media Streams WebSocket, such as {@code ws://127.0.0.1:8080/twilio}
   * @return a new builder with an empty script
   */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * Makes the call: connects, runs the script, sends {@code stop} and closes with 1000. Ends early when the
   * server closes the WebSocket.
   *
   * @return the record of the call, when it has ended (also when the connection broke during the call); an
   *     error only when the connection cannot be opened
   */
  public Mono<TwilioCallRecord> call() {
    return Mono.defer(
        () -> {
          CallerSession session =
              new CallerSession(
                  script, scheduler, "MZ" + hex32(), "CA" + hex32(), customParameters, keepAudio);
          return HttpClient.newConnection()
              .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
              .uri(uri)
              .handle(
                  (in, out) -> {
                    in.receiveCloseStatus()
                        .subscribe(s -> session.closedBy(s.code(), s.reasonText()));
                    session.begin();
                    var ticks =
                        Flux.interval(
                                Duration.ofMillis(CallerSession.FRAME_MILLIS),
                                Duration.ofMillis(CallerSession.FRAME_MILLIS),
                                scheduler)
                            .onBackpressureDrop() // a late tick is skipped, as a jitter buffer
                            // would
                            .subscribe(t -> session.tick());
                    Mono<Void> receive =
                        in.aggregateFrames(1 << 20)
                            .receiveFrames()
                            .doOnNext(
                                f -> {
                                  if (f instanceof TextWebSocketFrame) {
                                    session.onMessage(f.content().toString(StandardCharsets.UTF_8));
                                  } else {
                                    session.onMessage("(a binary frame: Media Streams use text)");
                                  }
                                })
                            .then()
                            .doFinally(s -> session.end());
                    // After stop: close with 1000, as Twilio does; the server's close ends the
                    // receiving.
                    Mono<Void> send =
                        out.sendString(session.outgoing())
                            .then()
                            .then(Mono.defer(() -> out.sendClose(1000, "call ended")))
                            .onErrorResume(e -> Mono.empty()); // the server closed first
                    return Flux.merge(send, receive).doFinally(s -> ticks.dispose());
                  })
              .onErrorResume(
                  e -> session.began(),
                  e -> Mono.empty()) // the connection broke: the record says so
              .then(Mono.fromSupplier(session::record));
        });
  }

  private static String hex32() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x%016x", r.nextLong(), r.nextLong());
  }

  /** The script and settings of a call. Not thread-safe; build once. */
  public static final class Builder {
    private final URI uri;
    private final List<Segment> script = new ArrayList<>();
    private final Map<String, String> customParameters = new LinkedHashMap<>();
    private Scheduler scheduler = Schedulers.parallel();
    private boolean keepAudio = true;

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /**
     * Says a WAV file: read now, mixed to mono by the audio module, resampled to 8 kHz and encoded as
     * μ-law.
     *
     * @param wav a PCM WAV file
     * @return this builder
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a PCM WAV file
     */
    public Builder say(Path wav) {
      WavAudio audio;
      try {
        audio = Wav.decode(Files.readAllBytes(wav));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the caller's WAV " + wav, e);
      }
      return say(audio.pcm16le(), audio.sampleRate());
    }

    /**
     * Says audio: resampled to 8 kHz and encoded as μ-law.
     *
     * @param pcm16le 16-bit little-endian mono samples
     * @param sampleRate their rate
     * @return this builder
     */
    public Builder say(byte[] pcm16le, int sampleRate) {
      Resampler resampler = new Resampler(sampleRate, 8000);
      byte[] body = resampler.process(ByteBuffer.wrap(pcm16le));
      byte[] tail = resampler.flush();
      byte[] all = new byte[body.length + tail.length];
      System.arraycopy(body, 0, all, 0, body.length);
      System.arraycopy(tail, 0, all, body.length, tail.length);
      script.add(new Segment.Speak(G711.encodeUlaw(all)));
      return this;
    }

    /**
     * Stays silent (sends μ-law silence) for a while.
     *
     * @param duration how long
     * @return this builder
     */
    public Builder pause(Duration duration) {
      script.add(new Segment.Pause(duration.toMillis()));
      return this;
    }

    /**
     * Stays silent until the caller has played this much of the server's audio (counted over the whole
     * call), or the timeout has passed: a barge-in that follows then speaks over the answer.
     *
     * @param played how much answer audio must have played
     * @param timeout the longest wait
     * @return this builder
     */
    public Builder awaitAnswer(Duration played, Duration timeout) {
      script.add(new Segment.AwaitAnswer(played.toMillis(), timeout.toMillis()));
      return this;
    }

    /**
     * A {@code <Parameter>} of the TwiML {@code <Stream>}, sent in {@code start.customParameters}.
     *
     * @param name its name
     * @param value its value
     * @return this builder
     */
    public Builder customParameter(String name, String value) {
      customParameters.put(name, value);
      return this;
    }

    /**
     * The caller's clock: frames are sent, and audio played, every 20 ms of it.
     *
     * @param scheduler the scheduler; default {@code Schedulers.parallel()}
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Whether the record keeps the details: the audio received ({@link TwilioCallRecord#receivedPcm()}),
     * each {@code media} and {@code mark} message ({@link TwilioCallRecord#received()}) and each mark sent
     * back ({@link TwilioCallRecord#marksEchoed()}). Without them a call of any length holds a bounded
     * state: the record has the counts, the {@code clear} messages and the errors (for load tests).
     *
     * @param keep false to keep only counts; default true
     * @return this builder
     */
    public Builder keepDetails(boolean keep) {
      this.keepAudio = keep;
      return this;
    }

    /**
     * The caller.
     *
     * @return a caller whose {@link TwilioCaller#call()} runs the script
     */
    public TwilioCaller build() {
      return new TwilioCaller(this);
    }
  }
}
