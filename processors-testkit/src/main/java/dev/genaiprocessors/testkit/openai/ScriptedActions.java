package dev.genaiprocessors.testkit.openai;

import java.util.ArrayDeque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays the actions of the steps that fired on one connection, in order: responses (completed, left open,
 * failed or incomplete), scripted server VAD,
 * input transcripts and faults. A {@link Fault.Delay} pauses the actions after it while client events go on
 * being handled. Engine thread only.
 */
final class ScriptedActions {
  private static final Logger log = LoggerFactory.getLogger(ScriptedActions.class);

  /** An action to play, with the response the client event that fired its step asked for. */
  private record Pending(Action action, @Nullable ResponseRun requested) {}

  private final RealtimeConnection c;

  /** Actions waiting to play; bounded by the length of the script. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  private boolean paused;

  ScriptedActions(RealtimeConnection connection) {
    this.c = connection;
  }

  /** Queues a step's actions and plays what is not held back by a delay. */
  void play(List<Action> actions, @Nullable ResponseRun requested) {
    actions.forEach(a -> pending.add(new Pending(a, requested)));
    play();
  }

  /** Forgets the actions not played yet (the connection is ending). */
  void clear() {
    pending.clear();
  }

  private void play() {
    while (!paused && !c.closing && !pending.isEmpty()) {
      Pending p = pending.poll();
      Action a = p.action();
      if (a instanceof Reply.Response r) {
        respond(r.outputs(), r.leaveOpen() ? null : Ending.COMPLETED, p.requested());
      } else if (a instanceof Reply.FailedResponse f) {
        ObjectNode error = RealtimeWire.object().put("type", f.errorType());
        RealtimeWire.putNullable(error, "code", f.errorCode());
        error.put("message", f.message());
        respond(List.of(), new Ending("failed", null, error), p.requested());
      } else if (a instanceof Reply.IncompleteResponse r) {
        respond(r.outputs(), new Ending("incomplete", r.reason(), null), p.requested());
      } else if (a instanceof Reply.FinishResponse) {
        c.active.values().stream().findFirst().ifPresent(run -> c.finish(run, "completed", null));
      } else if (a instanceof Reply.SpeechStarted) {
        speechStarted();
      } else if (a instanceof Reply.SpeechStopped) {
        speechStopped();
      } else if (a instanceof Reply.InputTranscript t) {
        inputTranscript(t.transcript());
      } else if (a instanceof Fault.Drop) {
        c.drop();
      } else if (a instanceof Fault.Close close) {
        c.close(close.code(), close.reason());
      } else if (a instanceof Fault.Error e) {
        ObjectNode error = c.event("error");
        error.set("error", RealtimeWire.error(e.type(), e.code(), e.message(), null, null));
        c.send(error);
      } else if (a instanceof Fault.Delay d) {
        paused = true;
        c.server.schedule(
            () -> {
              paused = false;
              play();
            },
            d.delay());
      }
    }
  }

  /** How a scripted response ends: its status, and its {@code status_details} reason or error. */
  private record Ending(String status, @Nullable String reason, @Nullable ObjectNode error) {
    static final Ending COMPLETED = new Ending("completed", null, null);
  }

  /**
   * Starts the response with these outputs, then ends it as said; {@code ending} null leaves it active.
   */
  private void respond(
      List<Output> outputs, @Nullable Ending ending, @Nullable ResponseRun requested) {
    ResponseRun run = requested;
    if (run != null && run.started) {
      log.debug(
          "connection {}: response {} was already started or cancelled; reply skipped",
          c.id,
          run.id);
      return;
    }
    if (run == null) {
      if (c.defaultActive != null) {
        log.debug(
            "connection {}: server-started response skipped, {} is active",
            c.id,
            c.defaultActive.id);
        return;
      }
      run =
          new ResponseRun(
              c,
              c.ids.next("resp"),
              c.conversationId,
              (ArrayNode) c.session.outputModalities().deepCopy(),
              null,
              RealtimeWire.object()
                  .set(
                      "output",
                      RealtimeWire.object()
                          .set("format", c.session.json().at("/audio/output/format").deepCopy())
                          .put("voice", c.session.voice())),
              c.session.json().get("max_output_tokens"),
              100 + 20 * c.conversation.size());
      c.active.put(run.id, run);
      c.defaultActive = run;
    }
    run.start(outputs);
    if (ending != null) {
      c.finish(run, ending.status(), ending.reason(), ending.error());
    }
  }

  private boolean turnDetectionOff() {
    if (c.session.turnDetection().isObject()) {
      return false;
    }
    log.debug("connection {}: scripted speech event skipped, turn detection is off", c.id);
    return true;
  }

  private void speechStarted() {
    if (turnDetectionOff()) {
      return;
    }
    c.speakingItemId = c.ids.next("item");
    c.send(
        c.event("input_audio_buffer.speech_started")
            .put("audio_start_ms", c.lastAppendStartMs)
            .put("item_id", c.speakingItemId));
    if (c.defaultActive != null
        && c.session.turnDetection().path("interrupt_response").asBoolean(true)) {
      c.finish(c.defaultActive, "cancelled", "turn_detected");
    }
  }

  private void speechStopped() {
    if (turnDetectionOff()) {
      return;
    }
    String itemId = c.speakingItemId != null ? c.speakingItemId : c.ids.next("item");
    c.speakingItemId = null;
    c.send(
        c.event("input_audio_buffer.speech_stopped")
            .put("audio_end_ms", c.appendedMs)
            .put("item_id", itemId));
    c.commit(itemId);
  }

  private void inputTranscript(String transcript) {
    String itemId = c.lastUserAudioItemId;
    if (itemId == null || !c.session.json().at("/audio/input/transcription").isObject()) {
      log.debug(
          "connection {}: scripted input transcript skipped: no audio was committed or transcription is off",
          c.id);
      return;
    }
    for (String word : ResponseRun.words(transcript)) {
      c.send(
          c.event("conversation.item.input_audio_transcription.delta")
              .put("item_id", itemId)
              .put("content_index", 0)
              .put("delta", word));
    }
    ObjectNode completed = c.event("conversation.item.input_audio_transcription.completed");
    completed.put("item_id", itemId).put("content_index", 0).put("transcript", transcript);
    completed.putObject("usage").put("type", "duration").put("seconds", c.lastUserAudioMs / 1000.0);
    c.send(completed);
    ObjectNode item = c.conversation.get(itemId);
    if (item != null && item.path("content").path(0).isObject()) {
      ((ObjectNode) item.get("content").get(0)).put("transcript", transcript);
    }
  }
}
