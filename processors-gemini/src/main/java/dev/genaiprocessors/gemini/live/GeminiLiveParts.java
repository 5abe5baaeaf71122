package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The parts {@link GeminiLiveProcessor} emits for server messages that are not content, and how to read
 * them. Content and the common signals use the core factories ({@link Part#interrupted()},
 * {@link Part#generationComplete()}, {@link Part#endOfTurn()}, transcriptions); the rest are listed here.
 *
 * <table>
 *   <caption>Server message to part</caption>
 *   <tr><th>server message</th><th>part</th></tr>
 *   <tr><td>{@code usageMetadata}</td><td>empty text, role {@code model}, metadata {@link #USAGE_METADATA} =
 *       the usage object as sent ({@code promptTokenCount}, {@code responseTokenCount}, ...)</td></tr>
 *   <tr><td>{@code goAway}</td><td>empty text, role {@code model}, metadata {@link #GO_AWAY} =
 *       {@code {"timeLeft": "50s"}}; the processor reconnects by itself</td></tr>
 *   <tr><td>{@code sessionResumptionUpdate}</td><td>empty text, role {@code model}, metadata
 *       {@link #SESSION_RESUMPTION_UPDATE} = {@code {"newHandle": ..., "resumable": true}} or {@code {}};
 *       keep the newest handle to resume after a restart ({@link #resumptionHandle(Part)})</td></tr>
 *   <tr><td>{@code toolCallCancellation}</td><td>JSON {@code {"ids": [...]}} of type
 *       {@link #TOOL_CALL_CANCELLATION}, role {@code model} ({@link #cancelledCallIds(Part)})</td></tr>
 *   <tr><td>{@code serverContent.waitingForInput}</td><td>empty text, role {@code model}, metadata
 *       {@link #WAITING_FOR_INPUT} = true</td></tr>
 *   <tr><td>{@code serverContent.turnCompleteReason}</td><td>metadata {@link #TURN_COMPLETE_REASON} on the
 *       end-of-turn part</td></tr>
 *   <tr><td>a {@code thought} text part</td><td>text with metadata {@link #THOUGHT} = true</td></tr>
 *   <tr><td>{@code setupComplete.sessionId}</td><td>empty text, role {@code model}, metadata
 *       {@link #SESSION_ID} = the id (one per connection; none when the server sends no id)</td></tr>
 *   <tr><td>{@code modelTurn.parts[].executableCode}</td><td>JSON {@code {"language": ..., "code": ...}} of type
 *       {@link #EXECUTABLE_CODE}, role {@code model}</td></tr>
 *   <tr><td>{@code modelTurn.parts[].codeExecutionResult}</td><td>JSON {@code {"outcome": ..., "output": ...}}
 *       of type {@link #CODE_EXECUTION_RESULT}, role {@code model}</td></tr>
 *   <tr><td>{@code inputTranscription.languageCode} (and {@code outputTranscription}'s)</td><td>metadata
 *       {@link #LANGUAGE_CODE} on the transcription part</td></tr>
 *   <tr><td>{@code serverContent.interimInputTranscription}</td><td>an input transcription part (substream
 *       {@code input_transcription}, not final) with metadata {@link #INTERIM} = true</td></tr>
 *   <tr><td>{@code serverContent.interactionStatus}</td><td>metadata {@link #INTERACTION_STATUS}
 *       ({@code IN_PROGRESS}, {@code IDLE}, {@code REQUIRES_ACTION}) on the end-of-turn part, or on an empty
 *       text part with role {@code model} when it comes without {@code turnComplete}</td></tr>
 *   <tr><td>{@code toolCall.functionCalls[].willContinue}</td><td>metadata {@link #WILL_CONTINUE} = true on
 *       the function call part</td></tr>
 *   <tr><td>{@code voiceActivity}</td><td>{@link Part#startOfSpeech()} for {@code ACTIVITY_START},
 *       {@link Part#endOfSpeech()} for {@code ACTIVITY_END} (else empty text), role {@code user}, metadata
 *       {@link #VOICE_ACTIVITY} = the object as sent (type and {@code audioOffset})</td></tr>
 *   <tr><td>{@code voiceActivityDetectionSignal}</td><td>empty text, role {@code model}, metadata
 *       {@link #VAD_SIGNAL} = {@code {"vadSignalType": ...}}</td></tr>
 *   <tr><td>{@code serverContent.groundingMetadata}</td><td>empty text, role {@code model}, metadata
 *       {@link #GROUNDING_METADATA} = the object as sent</td></tr>
 *   <tr><td>{@code serverContent.urlContextMetadata}</td><td>empty text, role {@code model}, metadata
 *       {@link #URL_CONTEXT_METADATA} = the object as sent</td></tr>
 * </table>
 */
public final class GeminiLiveParts {
  /** Metadata key of a usage report: the {@code usageMetadata} object as the server sent it. */
  public static final String USAGE_METADATA = "usage_metadata";

  /** Metadata key of a {@code goAway} notice: {@code {"timeLeft": "50s"}}. */
  public static final String GO_AWAY = "go_away";

  /** Metadata key of a resumption update: {@code {"newHandle": "...", "resumable": true}} or {@code {}}. */
  public static final String SESSION_RESUMPTION_UPDATE = "session_resumption_update";

  /**
   * Metadata key on the {@code interrupted} part, the end-of-turn part and the tool-call cancellation part
   * the client makes itself when a connection ends in the middle of a turn: {@code "connection lost"} (a
   * drop or close that was resumed) or {@code "connection switched after goAway"} (a switch at the deadline).
   * A server's own interruption has no reason. The provider-neutral
   * {@link dev.genaiprocessors.live.LiveParts#INTERRUPTION_REASON} key.
   */
  public static final String INTERRUPTION_REASON =
      dev.genaiprocessors.live.LiveParts.INTERRUPTION_REASON;

  /** Metadata key on a model end-of-turn part: why the turn ended ({@code NEED_MORE_INPUT}, ...). */
  public static final String TURN_COMPLETE_REASON = "turn_complete_reason";

  /** Metadata key of a part saying the model waits for the user's input. */
  public static final String WAITING_FOR_INPUT = "waiting_for_input";

  /** Metadata key on text the model marked as a thought. */
  public static final String THOUGHT = "thought";

  /** Metadata key of the session id the server gave in {@code setupComplete}. */
  public static final String SESSION_ID = "session_id";

  /** Metadata key on a function call the model will add to ({@code willContinue}). */
  public static final String WILL_CONTINUE = "will_continue";

  /** Metadata key on an interim (revisable) input transcription. */
  public static final String INTERIM = "interim";

  /** Metadata key on a transcription: the language the server heard ({@code en-US}). */
  public static final String LANGUAGE_CODE = "language_code";

  /** Metadata key of the interaction status: {@code IN_PROGRESS}, {@code IDLE} or {@code REQUIRES_ACTION}. */
  public static final String INTERACTION_STATUS = "interaction_status";

  /** Metadata key of the server's voice activity report: {@code {"voiceActivityType": ..., "audioOffset": "1.250s"}}. */
  public static final String VOICE_ACTIVITY = "voice_activity";

  /** Metadata key of a voice activity detection signal: {@code {"vadSignalType": ...}}. */
  public static final String VAD_SIGNAL = "vad_signal";

  /** Metadata key of grounding metadata (search queries, sources, supports), as sent. */
  public static final String GROUNDING_METADATA = "grounding_metadata";

  /** Metadata key of URL context metadata (which URLs were read, and how), as sent. */
  public static final String URL_CONTEXT_METADATA = "url_context_metadata";

  /** JSON type name of code the model wrote to run ({@code executableCode}). */
  public static final String EXECUTABLE_CODE = "ExecutableCode";

  /** JSON type name of the result of running that code ({@code codeExecutionResult}). */
  public static final String CODE_EXECUTION_RESULT = "CodeExecutionResult";

  /** JSON type name of a tool-call cancellation part. */
  public static final String TOOL_CALL_CANCELLATION = "ToolCallCancellation";

  private GeminiLiveParts() {}

  /**
   * True for a tool-call cancellation part.
   *
   * @param part any part
   * @return true when the part is a {@code toolCallCancellation}
   */
  public static boolean isToolCallCancellation(Part part) {
    return part.content() instanceof PartContent.Json j
        && TOOL_CALL_CANCELLATION.equals(j.typeName());
  }

  /**
   * The ids of the calls a cancellation part cancels; empty for other parts.
   *
   * @param part any part
   * @return the cancelled call ids in the server's order; empty when {@code part} is not a cancellation
   */
  public static List<String> cancelledCallIds(Part part) {
    List<String> ids = new ArrayList<>();
    if (isToolCallCancellation(part)) {
      for (JsonNode id : part.json().path("ids")) {
        ids.add(id.asString());
      }
    }
    return ids;
  }

  /**
   * The session id of a part made of {@code setupComplete}; empty for other parts.
   *
   * @param part any part
   * @return the session id, or empty
   */
  public static Optional<String> sessionId(Part part) {
    return part.metadata(SESSION_ID) instanceof String id ? Optional.of(id) : Optional.empty();
  }

  /**
   * True for a part made of {@code setupComplete} with a session id.
   *
   * @param part any part
   * @return true when the part carries a session id
   */
  public static boolean isSessionId(Part part) {
    return part.metadata(SESSION_ID) != null;
  }

  /**
   * True for a {@code goAway} part.
   *
   * @param part any part
   * @return true when the part carries {@code goAway}
   */
  public static boolean isGoAway(Part part) {
    return part.metadata(GO_AWAY) != null;
  }

  /**
   * True for a usage part.
   *
   * @param part any part
   * @return true when the part carries usage metadata
   */
  public static boolean isUsage(Part part) {
    return part.metadata(USAGE_METADATA) != null;
  }

  /**
   * True for a resumption update part.
   *
   * @param part any part
   * @return true when the part carries a {@code sessionResumptionUpdate}
   */
  public static boolean isResumptionUpdate(Part part) {
    return part.metadata(SESSION_RESUMPTION_UPDATE) != null;
  }

  /**
   * The new handle of a resumable update, to resume this session later; empty otherwise.
   *
   * @param part any part
   * @return the handle, or empty when the part is not an update, not resumable, or has no handle
   */
  public static Optional<String> resumptionHandle(Part part) {
    if (part.metadata(SESSION_RESUMPTION_UPDATE) instanceof Map<?, ?> update
        && Boolean.TRUE.equals(update.get("resumable"))
        && update.get("newHandle") instanceof String handle
        && !handle.isEmpty()) {
      return Optional.of(handle);
    }
    return Optional.empty();
  }
}
