package dev.genaiprocessors.testkit.twilio;

import dev.genaiprocessors.audio.G711;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One emulated call: Twilio's side of the protocol. Every {@link #tick()} (20 ms of the caller's clock)
 * sends the next frame of the caller's script and plays 20 ms of what the server sent; {@link
 * #onMessage(String)} takes the server's messages. Both are synchronized.
 */
final class CallerSession {
  static final int FRAME_MILLIS = 20;
  static final int FRAME_BYTES = 160; // μ-law at 8 kHz: 20 ms
  private static final byte SILENCE = (byte) 0xFF;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Most audio queued for playback, in bytes: 10 minutes at 8 kHz. */
  static final int MAX_QUEUED_BYTES = 8000 * 600;

  /** Outgoing messages. Bound: {@value #MAX_OUTGOING}; on overflow the call records an error and ends. */
  private static final int MAX_OUTGOING = 4096;

  /** A piece of what the server sent, waiting to play: audio, or a mark after audio. */
  private record Queued(byte @Nullable [] ulaw, @Nullable String mark) {}

  private final List<TwilioCaller.Segment> script;
  private final Scheduler scheduler;
  private final String streamSid;
  private final String callSid;
  private final Map<String, String> customParameters;
  private final long startMillis;
  private final boolean keepAudio;
  private long receivedBytes;
  private long mediaReceived;
  private long marksReceived;
  private long marksEchoedCount;
  private final Sinks.Many<String> outgoing =
      Sinks.many()
          .unicast()
          .onBackpressureBuffer(new java.util.concurrent.ArrayBlockingQueue<>(MAX_OUTGOING));

  private final ArrayDeque<Queued> playback = new ArrayDeque<>();
  private final List<TwilioCallRecord.Received> received = new ArrayList<>();
  private final ByteArrayOutputStream receivedPcm = new ByteArrayOutputStream();
  private final List<String> marksEchoed = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  private int segment;
  private int offsetInSegment;
  private long segmentStartMillis = -1;
  private long sequence;
  private long chunk;
  private long playedBytes;
  private int queuedBytes;
  private boolean ended;
  private boolean began;
  private int closeCode = -1;
  private @Nullable String closeReason;

  CallerSession(
      List<TwilioCaller.Segment> script,
      Scheduler scheduler,
      String streamSid,
      String callSid,
      Map<String, String> customParameters,
      boolean keepAudio) {
    this.script = script;
    this.scheduler = scheduler;
    this.streamSid = streamSid;
    this.callSid = callSid;
    this.customParameters = customParameters;
    this.keepAudio = keepAudio;
    this.startMillis = scheduler.now(TimeUnit.MILLISECONDS);
  }

  Flux<String> outgoing() {
    return outgoing.asFlux();
  }

  /** Sends {@code connected} and {@code start}. */
  synchronized void begin() {
    began = true;
    emit(
        JSON.createObjectNode()
            .put("event", "connected")
            .put("protocol", "Call")
            .put("version", "1.0.0"));
    ObjectNode start = JSON.createObjectNode().put("event", "start").put("sequenceNumber", seq());
    ObjectNode s = start.putObject("start");
    s.put("accountSid", "AC00000000000000000000000000000000")
        .put("streamSid", streamSid)
        .put("callSid", callSid);
    s.putArray("tracks").add("inbound");
    ObjectNode params = s.putObject("customParameters");
    customParameters.forEach(params::put);
    s.putObject("mediaFormat")
        .put("encoding", "audio/x-mulaw")
        .put("sampleRate", 8000)
        .put("channels", 1);
    start.put("streamSid", streamSid);
    emit(start);
  }

  /** 20 ms: the caller's next frame, and 20 ms of playback. */
  synchronized void tick() {
    if (ended) {
      return;
    }
    play();
    byte[] frame = nextFrame();
    if (frame == null) {
      ObjectNode stop = JSON.createObjectNode().put("event", "stop").put("sequenceNumber", seq());
      stop.putObject("stop")
          .put("accountSid", "AC00000000000000000000000000000000")
          .put("callSid", callSid);
      stop.put("streamSid", streamSid);
      emit(stop);
      end();
      return;
    }
    chunk++;
    ObjectNode media = JSON.createObjectNode().put("event", "media").put("sequenceNumber", seq());
    media
        .putObject("media")
        .put("track", "inbound")
        .put("chunk", Long.toString(chunk))
        .put("timestamp", Long.toString((chunk - 1) * FRAME_MILLIS))
        .put("payload", Base64.getEncoder().encodeToString(frame));
    media.put("streamSid", streamSid);
    emit(media);
  }

  /** The next 160 bytes of the script, or null when it is over. */
  private byte @Nullable [] nextFrame() {
    while (segment < script.size()) {
      TwilioCaller.Segment s = script.get(segment);
      long now = now();
      if (segmentStartMillis < 0) {
        segmentStartMillis = now;
      }
      if (s instanceof TwilioCaller.Segment.Speak speak) {
        byte[] ulaw = speak.ulaw();
        if (offsetInSegment < ulaw.length) {
          byte[] frame = Arrays.copyOfRange(ulaw, offsetInSegment, offsetInSegment + FRAME_BYTES);
          for (int i = Math.max(0, ulaw.length - offsetInSegment); i < FRAME_BYTES; i++) {
            frame[i] = SILENCE;
          }
          offsetInSegment += FRAME_BYTES;
          return frame;
        }
      } else if (s instanceof TwilioCaller.Segment.Pause pause) {
        if (offsetInSegment < pause.millis()) {
          offsetInSegment += FRAME_MILLIS;
          return silence();
        }
      } else if (s instanceof TwilioCaller.Segment.AwaitAnswer await) {
        if (playedMillis() < await.playedMillis()
            && now - segmentStartMillis < await.timeoutMillis()) {
          return silence();
        }
      }
      segment++;
      offsetInSegment = 0;
      segmentStartMillis = -1;
    }
    return null;
  }

  private static byte[] silence() {
    byte[] frame = new byte[FRAME_BYTES];
    Arrays.fill(frame, SILENCE);
    return frame;
  }

  /** Plays 20 ms: audio leaves the queue, and marks whose audio has all played go back. */
  private void play() {
    int budget = FRAME_BYTES;
    echoLeadingMarks();
    while (budget > 0 && !playback.isEmpty()) {
      Queued head = playback.peekFirst();
      byte[] ulaw = head.ulaw();
      if (ulaw == null) {
        break;
      }
      int take = Math.min(budget, ulaw.length);
      budget -= take;
      playedBytes += take;
      queuedBytes -= take;
      playback.removeFirst();
      if (take < ulaw.length) {
        playback.addFirst(new Queued(Arrays.copyOfRange(ulaw, take, ulaw.length), null));
      }
      echoLeadingMarks();
    }
  }

  private void echoLeadingMarks() {
    while (!playback.isEmpty() && playback.peekFirst().mark() != null) {
      echoMark(playback.removeFirst().mark());
    }
  }

  private void echoMark(@Nullable String name) {
    if (name == null) {
      return;
    }
    marksEchoedCount++;
    if (keepAudio) {
      marksEchoed.add(name);
    }
    ObjectNode mark =
        JSON.createObjectNode()
            .put("event", "mark")
            .put("sequenceNumber", seq())
            .put("streamSid", streamSid);
    mark.putObject("mark").put("name", name);
    emit(mark);
  }

  /** A text frame from the server. */
  synchronized void onMessage(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JacksonException e) {
      error("a message that is not JSON: " + e.getOriginalMessage());
      return;
    }
    JsonNode ev = node == null || !node.isObject() ? null : node.get("event");
    if (ev == null || !ev.isString()) {
      error("a message with no string 'event': " + shorten(text));
      return;
    }
    String event = ev.stringValue();
    JsonNode sid = node.get("streamSid");
    if (!(event.equals("media") || event.equals("mark") || event.equals("clear"))) {
      error("an event Twilio does not take: '" + event + "' (it takes media, mark and clear)");
      return;
    }
    if (sid == null || !sid.isString() || !sid.stringValue().equals(streamSid)) {
      error("a '" + event + "' without this stream's streamSid: " + shorten(text));
      return;
    }
    long at = now() - startMillis;
    switch (event) {
      case "media" -> media(node, at, text);
      case "mark" -> {
        JsonNode mark = node.get("mark");
        JsonNode name = mark == null ? null : mark.get("name");
        if (name == null || !name.isString()) {
          error("a 'mark' without a string mark.name: " + shorten(text));
          return;
        }
        marksReceived++;
        if (keepAudio) {
          received.add(
              new TwilioCallRecord.Received("mark", name.stringValue(), 0, at, playedMillis()));
        }
        if (playback.isEmpty()) {
          echoMark(name.stringValue()); // nothing left to play before it
        } else {
          playback.addLast(new Queued(null, name.stringValue()));
        }
      }
      default -> {
        received.add(new TwilioCallRecord.Received("clear", null, 0, at, playedMillis()));
        List<String> pending = new ArrayList<>();
        for (Queued q : playback) {
          if (q.mark() != null) {
            pending.add(q.mark());
          }
        }
        playback.clear();
        queuedBytes = 0;
        pending.forEach(this::echoMark);
      }
    }
  }

  private void media(JsonNode node, long at, String text) {
    JsonNode media = node.get("media");
    JsonNode payload = media == null ? null : media.get("payload");
    if (payload == null || !payload.isString()) {
      error("a 'media' without a string media.payload: " + shorten(text));
      return;
    }
    byte[] ulaw;
    try {
      ulaw = Base64.getDecoder().decode(payload.stringValue());
    } catch (IllegalArgumentException e) {
      error("a 'media' payload that is not base64: " + e.getMessage());
      return;
    }
    mediaReceived++;
    if (keepAudio) {
      received.add(new TwilioCallRecord.Received("media", null, ulaw.length, at, playedMillis()));
    }
    if (queuedBytes + ulaw.length > MAX_QUEUED_BYTES) {
      error("more than 10 minutes of audio queued for playback; the rest is dropped");
      return;
    }
    receivedBytes += ulaw.length;
    if (keepAudio && receivedPcm.size() < MAX_QUEUED_BYTES * 2) {
      receivedPcm.writeBytes(G711.decodeUlaw(ulaw));
    }
    queuedBytes += ulaw.length;
    playback.addLast(new Queued(ulaw, null));
  }

  /** Whether the WebSocket was opened and the call began. */
  synchronized boolean began() {
    return began;
  }

  /** The server closed the WebSocket. */
  synchronized void closedBy(int code, @Nullable String reason) {
    closeCode = code;
    closeReason = reason;
  }

  /** Ends the call: nothing more is sent. */
  synchronized void end() {
    if (!ended) {
      ended = true;
      outgoing.tryEmitComplete();
    }
  }

  synchronized TwilioCallRecord record() {
    return new TwilioCallRecord(
        streamSid,
        received,
        receivedPcm.toByteArray(),
        receivedBytes / 8,
        playedMillis(),
        chunk * FRAME_MILLIS,
        marksEchoed,
        mediaReceived,
        marksReceived,
        marksEchoedCount,
        errors,
        closeCode,
        closeReason);
  }

  private long playedMillis() {
    return playedBytes / 8;
  }

  private String seq() {
    return Long.toString(++sequence);
  }

  private long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  private void emit(JsonNode message) {
    if (ended) {
      return;
    }
    Sinks.EmitResult r = outgoing.tryEmitNext(message.toString());
    if (r.isFailure()) {
      error("the caller could not send (" + r + "): the connection does not take what it sends");
      end();
    }
  }

  /** Records a protocol error. Bound: the first {@value #MAX_ERRORS}; later ones are not kept. */
  private void error(String message) {
    if (errors.size() < MAX_ERRORS) {
      errors.add(message);
    }
  }

  private static final int MAX_ERRORS = 100;

  private static String shorten(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…";
  }
}
