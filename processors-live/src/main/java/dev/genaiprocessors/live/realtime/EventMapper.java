package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.live.ConversationState;
import dev.genaiprocessors.live.realtime.RealtimeEvent.Speaker;
import dev.genaiprocessors.live.state.StateReportingLiveProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a live processor's parts into {@link RealtimeEvent}s, for one conversation: audio of the model,
 * transcriptions of both sides (deltas, then a final one with the whole utterance, made at the model's
 * end of turn when the provider sends none), function calls, interruptions and changes of the
 * conversation's state (the state parts of {@link StateReportingLiveProcessor}). Parts of no interest
 * (usage, status, session events) give nothing. Not thread-safe: called in the output's order.
 */
final class EventMapper {
  private final int outputRate;
  private final StringBuilder user = new StringBuilder();
  private final StringBuilder assistant = new StringBuilder();
  private boolean audioInTurn;

  EventMapper(int outputRate) {
    this.outputRate = outputRate;
  }

  List<RealtimeEvent> map(Part part) {
    List<RealtimeEvent> events = new ArrayList<>(2);
    if (part.isStatus()
        && part.metadata(StateReportingLiveProcessor.STATE_KEY) instanceof String state) {
      events.add(
          new RealtimeEvent.StateChanged(
              ConversationState.valueOf(state.toUpperCase(Locale.ROOT))));
    } else if (part.isFunctionCall()) {
      var call = part.functionCall();
      events.add(
          new RealtimeEvent.ToolCallRequest(
              call.id() == null ? "" : call.id(), call.name(), call.args()));
    } else if (part.isInterrupted()) {
      assistant.setLength(0);
      audioInTurn = false;
      events.add(new RealtimeEvent.Interrupted());
    } else if (part.isAudio() && "model".equals(part.role()) && part.isBytes()) {
      int rate = MimeTypes.sampleRate(part.mimeType()).orElse(outputRate);
      byte[] pcm = part.bytes();
      audioInTurn = true;
      events.add(
          new RealtimeEvent.AudioChunk(
              pcm, Duration.ofNanos(pcm.length / 2L * 1_000_000_000L / rate), false));
    } else if (part.isTranscription() && part.isText()) {
      boolean isUser = Substreams.INPUT_TRANSCRIPTION.equalsIgnoreCase(part.substream());
      transcript(events, part.text(), part.isFinalTranscription(), isUser);
    } else if (part.isEndOfTurn() && "model".equals(part.role())) {
      finish(events, user, Speaker.USER);
      finish(events, assistant, Speaker.ASSISTANT);
      if (audioInTurn) {
        events.add(new RealtimeEvent.AudioChunk(new byte[0], Duration.ZERO, true));
        audioInTurn = false;
      }
    } else if (part.isText()
        && "model".equals(part.role())
        && part.substream().isEmpty()
        && !part.isThought()
        && !part.isEndOfTurn()
        && !part.text().isEmpty()) {
      transcript(events, part.text(), false, false);
    }
    return events;
  }

  private void transcript(
      List<RealtimeEvent> events, String text, boolean isFinal, boolean isUser) {
    StringBuilder so = isUser ? user : assistant;
    Speaker speaker = isUser ? Speaker.USER : Speaker.ASSISTANT;
    if (isFinal) {
      // A provider's final transcription holds the whole utterance.
      so.setLength(0);
      if (!text.isBlank()) {
        events.add(new RealtimeEvent.TranscriptDelta(text, true, speaker));
      }
    } else if (!text.isEmpty()) {
      so.append(text);
      events.add(new RealtimeEvent.TranscriptDelta(text, false, speaker));
    }
  }

  private static void finish(List<RealtimeEvent> events, StringBuilder so, Speaker speaker) {
    if (so.length() > 0) {
      events.add(new RealtimeEvent.TranscriptDelta(so.toString().strip(), true, speaker));
      so.setLength(0);
    }
  }

  /** The error as the live contract's: a {@link ModelException} as it is, anything else wrapped. */
  static ModelException modelError(Throwable error, String provider) {
    if (error instanceof ModelException model) {
      return model;
    }
    ModelException.Kind kind =
        error instanceof IllegalArgumentException
            ? ModelException.Kind.REQUEST
            : ModelException.Kind.SERVER;
    return ModelException.builder(
            kind, provider, "the " + provider + " live provider failed: " + error.getMessage())
        .cause(error)
        .build();
  }
}
