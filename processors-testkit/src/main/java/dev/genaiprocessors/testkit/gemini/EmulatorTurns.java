package dev.genaiprocessors.testkit.gemini;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays the scripted turns of one connection: steps in order, pauses ({@code awaitToolResponse},
 * {@code hold}, {@code delay}), barge-in, and user turns that end while a turn still plays (queued).
 * Runs on the emulator's engine thread only.
 */
final class EmulatorTurns {
  private enum Waiting {
    NONE,
    TOOL_RESPONSE,
    INTERRUPTION,
    DELAY
  }

  private final GeminiLiveEmulator server;
  private final EmulatorConnection connection;
  private final Set<String> openCalls = new LinkedHashSet<>();

  /** Declared functions: true for NON_BLOCKING, false for BLOCKING; undeclared ones are absent. */
  private final Map<String, Boolean> nonBlocking = new HashMap<>();

  /** The function name of each open call. */
  private final Map<String, String> callNames = new HashMap<>();

  private final StringBuilder userText = new StringBuilder();
  private @Nullable List<Step> steps;
  private int next;

  /** True from the start of a turn to its turnComplete: the part a user can interrupt. */
  private boolean generating;

  private Waiting waiting = Waiting.NONE;
  private @Nullable Disposable delay;
  private int pendingTurns;
  private boolean stopped;

  EmulatorTurns(GeminiLiveEmulator server, EmulatorConnection connection) {
    this.server = server;
    this.connection = connection;
  }

  /** Plays steps that answer no user turn (the setup reply). */
  void play(List<Step> list) {
    steps = list;
    next = 0;
    generating = false;
    run();
  }

  void declare(String function, boolean isNonBlocking) {
    nonBlocking.put(function, isNonBlocking);
  }

  void userText(String text) {
    userText.append(text);
  }

  void userTurnEnded() {
    if (steps != null) {
      pendingTurns++;
      return;
    }
    startNextTurn();
    run();
  }

  /**
   * A tool response, as the API takes it. BLOCKING function (declared so): closes the call whatever its
   * {@code willContinue}, ignores {@code scheduling}, and resumes the paused turn once no BLOCKING call is
   * open. NON_BLOCKING function: {@code willContinue} keeps the call open; {@code SILENT} only adds to the
   * context, {@code INTERRUPT} interrupts the turn under way and answers at once, {@code WHEN_IDLE} (the
   * default) answers after it. Undeclared function: the call closes unless {@code willContinue}, and a
   * response that is not {@code SILENT} resumes a waiting turn or starts the next one.
   */
  void toolResponse(JsonNode body) {
    boolean prompts = false;
    boolean interruptNow = false;
    boolean whenIdle = false;
    for (JsonNode response : body.path("functionResponses")) {
      String id = EmulatorWire.text(response, "id");
      if (id.isEmpty()) {
        throw new IllegalArgumentException("tool_response.function_responses.id is required");
      }
      String name = callNames.getOrDefault(id, EmulatorWire.text(response, "name"));
      Boolean declaredNonBlocking = nonBlocking.get(name);
      boolean willContinue = EmulatorWire.flag(response, "willContinue");
      String scheduling = EmulatorWire.text(response, "scheduling");
      if (Boolean.FALSE.equals(declaredNonBlocking)) {
        close(id);
      } else {
        if (!willContinue) {
          close(id);
        }
        if (Boolean.TRUE.equals(declaredNonBlocking)) {
          interruptNow |= "INTERRUPT".equals(scheduling);
          whenIdle |= !"SILENT".equals(scheduling) && !"INTERRUPT".equals(scheduling);
        } else {
          prompts |= !"SILENT".equals(scheduling);
        }
      }
    }
    if (waiting == Waiting.TOOL_RESPONSE) {
      if (!blockingCallOpen()) {
        waiting = Waiting.NONE;
        run();
      }
    } else if (prompts) {
      userTurnEnded();
    }
    if (interruptNow) {
      interrupt(false);
      userTurnEnded();
    } else if (whenIdle) {
      userTurnEnded();
    }
  }

  private void close(String id) {
    openCalls.remove(id);
    callNames.remove(id);
  }

  /** An open call that pauses the turn: to a function not declared NON_BLOCKING. */
  private boolean blockingCallOpen() {
    for (String id : openCalls) {
      if (!Boolean.TRUE.equals(nonBlocking.get(callNames.get(id)))) {
        return true;
      }
    }
    return false;
  }

  /** Barge-in: a turn still generating ends with interrupted (+ cancellation of open calls) and turnComplete. */
  void interrupt() {
    interrupt(true);
  }

  /** As {@link #interrupt()}; open calls are cancelled only when {@code cancelCalls}. */
  private void interrupt(boolean cancelCalls) {
    if (steps == null || !generating) {
      return;
    }
    cancelDelay();
    steps = null;
    generating = false;
    waiting = Waiting.NONE;
    connection.send(serverContent("interrupted", true));
    if (cancelCalls && !openCalls.isEmpty()) {
      ObjectNode cancellation = EmulatorWire.NODES.objectNode();
      ArrayNode ids = cancellation.putObject("toolCallCancellation").putArray("ids");
      openCalls.forEach(ids::add);
      openCalls.clear();
      callNames.clear();
      connection.send(cancellation);
    }
    turnComplete(null);
  }

  void stop() {
    stopped = true;
    cancelDelay();
    steps = null;
  }

  private void startNextTurn() {
    String said = userText.toString();
    userText.setLength(0);
    steps = server.nextTurn(said);
    next = 0;
    generating = true;
  }

  private void run() {
    while (!stopped && waiting == Waiting.NONE && steps != null) {
      List<Step> current = steps;
      if (next >= current.size()) {
        steps = null;
        generating = false;
        if (pendingTurns > 0) {
          pendingTurns--;
          startNextTurn();
        }
        continue;
      }
      execute(current.get(next++));
    }
  }

  private void execute(Step step) {
    if (step instanceof Reply.Text t) {
      modelPart(EmulatorWire.NODES.objectNode().put("text", t.text()));
    } else if (step instanceof Reply.Audio a) {
      ObjectNode part = EmulatorWire.NODES.objectNode();
      part.putObject("inlineData")
          .put("mimeType", "audio/pcm;rate=" + a.sampleRate())
          .put("data", java.util.Base64.getEncoder().encodeToString(a.pcm16le()));
      modelPart(part);
    } else if (step instanceof Reply.InputTranscription t) {
      connection.send(
          serverContent(
              "inputTranscription", EmulatorWire.NODES.objectNode().put("text", t.text())));
    } else if (step instanceof Reply.OutputTranscription t) {
      connection.send(
          serverContent(
              "outputTranscription", EmulatorWire.NODES.objectNode().put("text", t.text())));
    } else if (step instanceof Reply.GenerationComplete) {
      connection.send(serverContent("generationComplete", true));
    } else if (step instanceof Reply.TurnComplete t) {
      generating = false;
      turnComplete(t.reason());
    } else if (step instanceof Reply.Interrupted) {
      connection.send(serverContent("interrupted", true));
    } else if (step instanceof Reply.Usage u) {
      ObjectNode usage = EmulatorWire.NODES.objectNode();
      ObjectNode body = usage.putObject("usageMetadata");
      if (u.promptTokens() != 0) {
        body.put("promptTokenCount", u.promptTokens());
      }
      if (u.responseTokens() != 0) {
        body.put("responseTokenCount", u.responseTokens());
      }
      if (u.promptTokens() + u.responseTokens() != 0) {
        body.put("totalTokenCount", u.promptTokens() + u.responseTokens());
      }
      connection.send(usage);
    } else if (step instanceof Reply.ToolCall call) {
      ObjectNode message = EmulatorWire.NODES.objectNode();
      ObjectNode fc = message.putObject("toolCall").putArray("functionCalls").addObject();
      fc.put("id", call.id()).put("name", call.name());
      if (!call.args().isEmpty()) {
        fc.set("args", call.args().deepCopy());
      }
      openCalls.add(call.id());
      callNames.put(call.id(), call.name());
      connection.send(message);
      if (Boolean.FALSE.equals(nonBlocking.get(call.name()))) {
        waiting = Waiting.TOOL_RESPONSE; // a BLOCKING function: the model waits for the response
      }
    } else if (step instanceof Reply.ToolCallCancellation cancel) {
      ObjectNode message = EmulatorWire.NODES.objectNode();
      ArrayNode ids = message.putObject("toolCallCancellation").putArray("ids");
      cancel.ids().forEach(ids::add);
      cancel.ids().forEach(this::close);
      connection.send(message);
    } else if (step instanceof Reply.AwaitToolResponse) {
      if (blockingCallOpen()) {
        waiting = Waiting.TOOL_RESPONSE;
      }
    } else if (step instanceof Reply.Hold) {
      waiting = Waiting.INTERRUPTION;
    } else if (step instanceof Reply.Delay d) {
      waiting = Waiting.DELAY;
      delay =
          server.schedule(
              () -> {
                delay = null;
                waiting = Waiting.NONE;
                run();
              },
              d.delay());
    } else if (step instanceof Reply.ResumptionUpdate update) {
      String handle = update.handle();
      if (handle == null) {
        connection.send(
            EmulatorWire.NODES
                .objectNode()
                .set("sessionResumptionUpdate", EmulatorWire.NODES.objectNode()));
      } else {
        resumptionUpdate(connection.registerHandle(handle));
      }
    } else if (step instanceof Reply.SetupComplete) {
      connection.setupAnswered();
      connection.send(
          EmulatorWire.NODES
              .objectNode()
              .set(
                  "setupComplete",
                  EmulatorWire.NODES.objectNode().put("sessionId", connection.sessionId())));
      if (connection.resumption()) {
        resumptionUpdate(connection.nextHandle());
      }
    } else if (step instanceof Reply.Raw raw) {
      connection.emit(raw.frame());
    } else if (step instanceof Fault.GoAway g) {
      connection.goAway(g.timeLeft());
    } else if (step instanceof Fault.Close c) {
      connection.close(c.code(), c.reason());
    } else if (step instanceof Fault.Drop) {
      connection.drop();
    } else if (step instanceof Fault.Silence) {
      connection.silence();
    } else if (step instanceof Fault.MalformedFrame) {
      connection.emit("{\"serverContent\": {\"modelTurn\": ");
    }
  }

  private void turnComplete(@Nullable String reason) {
    ObjectNode body = EmulatorWire.NODES.objectNode().put("turnComplete", true);
    if (reason != null) {
      body.put("turnCompleteReason", reason);
    }
    connection.send(EmulatorWire.NODES.objectNode().set("serverContent", body));
    if (connection.resumption()) {
      resumptionUpdate(connection.nextHandle());
    }
  }

  private void resumptionUpdate(String handle) {
    ObjectNode update = EmulatorWire.NODES.objectNode();
    update.putObject("sessionResumptionUpdate").put("newHandle", handle).put("resumable", true);
    connection.send(update);
  }

  private void modelPart(ObjectNode part) {
    ObjectNode message = EmulatorWire.NODES.objectNode();
    message.putObject("serverContent").putObject("modelTurn").putArray("parts").add(part);
    connection.send(message);
  }

  private static ObjectNode serverContent(String field, Object value) {
    ObjectNode body = EmulatorWire.NODES.objectNode();
    if (value instanceof Boolean b) {
      body.put(field, b);
    } else {
      body.set(field, (JsonNode) value);
    }
    return EmulatorWire.NODES.objectNode().set("serverContent", body);
  }

  private void cancelDelay() {
    Disposable d = delay;
    delay = null;
    if (d != null) {
      d.dispose();
    }
  }
}
