package dev.genaiprocessors.testkit.gemini;

import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator.EmulatedSession;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One connection to the emulator: the server side of the protocol. Every method but the frame mapping
 * runs on the emulator's single engine thread, so no state here is shared.
 */
final class EmulatorConnection {
  static final String INVALID_ARGUMENT = "Request contains an invalid argument.";

  /** A pong to send, with the ping's payload. */
  record Pong(byte[] data) {}

  /** What to do once the queued frames are written. */
  private record Ending(int code, String reason, boolean drop) {}

  final int id;
  private final GeminiLiveEmulator server;
  private final WebsocketInbound in;
  private final WebsocketOutbound out;

  /** Frames to send: JSON text ({@code String}) or {@link Pong}; a single subscriber, the socket. */
  final Sinks.Many<Object> frames = Sinks.many().unicast().onBackpressureBuffer();

  final Sinks.Empty<Void> ended = Sinks.empty();
  private volatile @Nullable Ending ending;

  private boolean setupReceived;
  private boolean setupAnswered;
  private boolean closing;
  private boolean serverClosed;

  /** {@link Fault#silence()}: nothing is read or sent any more, pongs included. */
  private boolean silent;

  private ModelGeneration profile = ModelGeneration.CLASSIC;
  private boolean manualActivity;
  private boolean noInterruption;
  private boolean resumption;

  /** 3.1 with {@code historyConfig.initialHistoryInClientContent}: clientContent allowed until other input. */
  private boolean historyOpen;

  private @Nullable EmulatedSession session;
  private final EmulatorTurns turns;
  private @Nullable Disposable deadline;

  EmulatorConnection(
      GeminiLiveEmulator server, int id, WebsocketInbound in, WebsocketOutbound out) {
    this.server = server;
    this.id = id;
    this.in = in;
    this.out = out;
    this.turns = new EmulatorTurns(server, this);
  }

  // ---------------------------------------------------------------- socket side (event loop)

  WebSocketFrame toFrame(Object item) {
    server.queuedFrames.decrementAndGet();
    if (item instanceof Pong pong) {
      return new PongWebSocketFrame(Unpooled.wrappedBuffer(pong.data()));
    }
    String text = (String) item;
    return server.textFrames
        ? new TextWebSocketFrame(text)
        : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** After every queued frame is written: the close or drop a step asked for. */
  Mono<Void> afterSending() {
    Ending e = ending;
    if (e == null) {
      return Mono.empty();
    }
    if (e.drop()) {
      return Mono.fromRunnable(() -> in.withConnection(c -> c.channel().close()));
    }
    return out.sendClose(e.code(), e.reason());
  }

  // ---------------------------------------------------------------- engine side

  /** The API version of the path the client connected to ({@code v1}, {@code v1beta}, {@code v1alpha}). */
  private String apiVersion = "v1beta";

  /** The session id sent in {@code setupComplete}. */
  String sessionId() {
    EmulatedSession s = session;
    return "emulated-session-" + (s == null ? 0 : s.number);
  }

  void opened(boolean keyOk, String version) {
    apiVersion = version;
    if (!keyOk) {
      close(1007, "API key not valid. Please pass a valid API key.");
    }
  }

  void inbound(Object item) {
    if (silent) {
      return;
    }
    if (item instanceof Pong pong) {
      server.schedule(() -> emit(pong), server.pongDelay);
    } else {
      message((String) item);
    }
  }

  void closeReceived(WebSocketCloseStatus status) {
    if (!serverClosed) {
      server.recordClose(new ConnectionClose(id, status.code(), status.reasonText()));
    }
  }

  void inboundEnded() {
    closing = true;
    turns.stop();
    if (deadline != null) {
      deadline.dispose();
    }
    EmulatedSession s = session;
    if (s != null && s.open == this) {
      s.open = null;
    }
    frames.tryEmitComplete();
    ended.tryEmitEmpty();
  }

  private void message(String text) {
    if (closing) {
      return;
    }
    JsonNode raw;
    try {
      raw = EmulatorWire.parse(text);
    } catch (JacksonException e) {
      close(1007, "Invalid JSON payload received. " + e.getOriginalMessage());
      return;
    }
    if (!raw.isObject() || raw.size() != 1) {
      close(1007, INVALID_ARGUMENT);
      return;
    }
    JsonNode json = EmulatorWire.normalize(raw);
    String type = json.propertyNames().iterator().next();
    server.record(new ClientMessage(id, type, json));
    JsonNode body = json.get(type);
    if (server.strict) {
      String refusal = ClientSchema.refusal(json);
      if (refusal != null) {
        close(1007, refusal);
        return;
      }
    }
    if (!type.equals("setup") && !setupAnswered) {
      close(1007, INVALID_ARGUMENT); // the client must wait for setupComplete
      return;
    }
    try {
      switch (type) {
        case "setup" -> setup(body);
        case "clientContent" -> clientContent(body);
        case "realtimeInput" -> {
          historyOpen = false;
          realtimeInput(body);
        }
        case "toolResponse" -> {
          historyOpen = false;
          turns.toolResponse(body);
        }
        default ->
            close(
                1007,
                "Invalid JSON payload received. Unknown name \"" + type + "\": Cannot find field.");
      }
    } catch (IllegalArgumentException e) {
      close(1007, "Invalid value: " + e.getMessage());
    }
  }

  private void setup(JsonNode body) {
    if (setupReceived) {
      close(1007, INVALID_ARGUMENT);
      return;
    }
    setupReceived = true;
    String model = EmulatorWire.text(body, "model");
    if (!model.startsWith("models/")) {
      close(1007, INVALID_ARGUMENT);
      return;
    }
    String name = model.substring("models/".length());
    if (!server.knowsModel(name)) {
      close(
          1008,
          model
              + " is not found for API version "
              + apiVersion
              + ", or is not supported for bidiGenerateContent."
              + " Call ListModels to see the list of available models and their supported methods.");
      return;
    }
    profile = server.profileFor(name);
    historyOpen = EmulatorWire.flag(body.path("historyConfig"), "initialHistoryInClientContent");
    for (JsonNode tool : body.path("tools")) {
      for (JsonNode declaration : tool.path("functionDeclarations")) {
        turns.declare(
            EmulatorWire.text(declaration, "name"),
            "NON_BLOCKING".equals(EmulatorWire.text(declaration, "behavior")));
      }
    }
    JsonNode realtime = body.path("realtimeInputConfig");
    manualActivity = EmulatorWire.flag(realtime.path("automaticActivityDetection"), "disabled");
    noInterruption = "NO_INTERRUPTION".equals(EmulatorWire.text(realtime, "activityHandling"));
    for (String count : List.of("triggerTokens")) {
      JsonNode tokens = body.path("contextWindowCompression").path(count);
      if (!tokens.isMissingNode() && !tokens.isNumber() && !tokens.asString().matches("\\d+")) {
        close(1007, INVALID_ARGUMENT);
        return;
      }
    }
    boolean silentSetup =
        profile == ModelGeneration.GEMINI_3_1
            && (body.path("generationConfig").has("enableAffectiveDialog")
                || body.has("proactivity"));
    JsonNode resumptionConfig = body.get("sessionResumption");
    resumption = resumptionConfig != null;
    String handle = resumptionConfig == null ? "" : EmulatorWire.text(resumptionConfig, "handle");
    if (handle.isEmpty()) {
      session = server.newSession(this);
      answerSetup(silentSetup);
      return;
    }
    EmulatedSession resumed = server.sessionFor(handle);
    if (resumed == null) {
      close(1007, INVALID_ARGUMENT);
      return;
    }
    EmulatorConnection old = resumed.open;
    if (old == null || old == this) {
      resume(resumed, silentSetup);
      return;
    }
    // The real server rejects a resume while the old socket is open; allow a moment for its close
    // to land.
    old.ended
        .asMono()
        .timeout(GeminiLiveEmulator.RESUME_GRACE)
        .subscribe(
            null,
            e -> server.schedule(() -> close(1011, "The service is currently unavailable."), null),
            () -> server.schedule(() -> resume(resumed, silentSetup), null));
  }

  private void resume(EmulatedSession resumed, boolean silentSetup) {
    if (closing) {
      return;
    }
    resumed.open = this;
    session = resumed;
    answerSetup(silentSetup);
  }

  private void answerSetup(boolean silent) {
    if (silent) {
      return; // gemini-3.1 never answers a setup with affective dialog or proactivity
    }
    turns.play(server.setupReply());
  }

  private void clientContent(JsonNode body) {
    if (profile != ModelGeneration.CLASSIC
        && !(historyOpen && !EmulatorWire.flag(body, "turnComplete"))) {
      close(1007, INVALID_ARGUMENT); // 3.1: initial history only
      return;
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode turn : body.path("turns")) {
      for (JsonNode part : turn.path("parts")) {
        text.append(EmulatorWire.text(part, "text"));
        JsonNode inline = part.get("inlineData");
        if (inline != null) {
          EmulatorWire.base64(EmulatorWire.text(inline, "data"));
        }
      }
    }
    if (profile != ModelGeneration.CLASSIC) {
      return; // initial history: context, not a user turn
    }
    turns.userText(text.toString());
    turns.interrupt();
    if (EmulatorWire.flag(body, "turnComplete")) {
      turns.userTurnEnded();
    }
  }

  private void realtimeInput(JsonNode body) {
    if (body.has("mediaChunks")) {
      if (profile != ModelGeneration.CLASSIC) {
        close(1007, INVALID_ARGUMENT);
        return;
      }
      for (JsonNode chunk : body.get("mediaChunks")) {
        EmulatorWire.base64(EmulatorWire.text(chunk, "data"));
      }
    }
    for (String media : List.of("audio", "video")) {
      JsonNode blob = body.get(media);
      if (blob != null) {
        if (EmulatorWire.text(blob, "mimeType").isEmpty()) {
          throw new IllegalArgumentException("realtime_input." + media + ".mime_type is required");
        }
        EmulatorWire.base64(EmulatorWire.text(blob, "data"));
      }
    }
    if ((body.has("activityStart") || body.has("activityEnd")) && !manualActivity) {
      close(1007, INVALID_ARGUMENT); // only when automatic activity detection is disabled
      return;
    }
    if (body.has("activityStart") && !noInterruption) {
      turns.interrupt();
    }
    if (body.has("text")) {
      turns.userText(EmulatorWire.text(body, "text"));
      if (!noInterruption) {
        turns.interrupt();
      }
      turns.userTurnEnded();
    }
    if (body.has("activityEnd") || EmulatorWire.flag(body, "audioStreamEnd")) {
      turns.userTurnEnded();
    }
  }

  // ---------------------------------------------------------------- sending

  boolean resumption() {
    return resumption;
  }

  /** A new handle of this connection's session, registered for resuming. */
  String nextHandle() {
    EmulatedSession s = session;
    return s == null ? "" : server.nextHandle(s);
  }

  /** Registers a scripted handle for this connection's session. */
  String registerHandle(String handle) {
    EmulatedSession s = session;
    return s == null ? handle : server.register(handle, s);
  }

  void setupAnswered() {
    setupAnswered = true;
  }

  void send(JsonNode message) {
    emit(EmulatorWire.write(message, server.prettyFrames));
  }

  /** Reads and sends nothing from now on, but leaves the connection open. */
  void silence() {
    silent = true;
    turns.stop();
  }

  void emit(Object frame) {
    if (!closing && !silent && frames.tryEmitNext(frame).isSuccess()) {
      server.queuedFrames.incrementAndGet();
    }
  }

  void goAway(java.time.Duration timeLeft) {
    send(
        EmulatorWire.NODES
            .objectNode()
            .set(
                "goAway",
                EmulatorWire.NODES.objectNode().put("timeLeft", EmulatorWire.duration(timeLeft))));
    if (deadline == null) {
      deadline = server.schedule(() -> close(1011, Fault.DEADLINE_EXPIRED), timeLeft);
    }
  }

  /** Sends a close frame after the frames already queued. */
  void close(int code, String reason) {
    end(new Ending(code, EmulatorWire.closeReason(reason), false));
  }

  /** Closes the TCP connection, without a close frame, after the frames already queued. */
  void drop() {
    end(new Ending(0, "", true));
  }

  private void end(Ending e) {
    if (closing) {
      return;
    }
    closing = true;
    serverClosed = true;
    turns.stop();
    ending = e;
    frames.tryEmitComplete();
  }
}
