package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.functions.Tool;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code session.update} event of a session's settings, in the GA shape: {@code session.type}
 * {@code realtime}, audio under {@code audio.input} and {@code audio.output}. Only fields the user set are
 * sent, so the server's defaults apply to the rest; the formats are always sent, so that the server and the
 * processor agree on them.
 */
final class SessionUpdate {
  private SessionUpdate() {}

  static ObjectNode of(RealtimeSettings s) {
    ObjectNode event = WireJson.MAPPER.createObjectNode();
    event.put("type", "session.update");
    ObjectNode session = event.putObject("session");
    session.put("type", "realtime");
    session.put("model", s.model);
    if (s.outputModality != null) {
      session.putArray("output_modalities").add(s.outputModality);
    }
    if (s.instructions != null) {
      session.put("instructions", s.instructions);
    }
    ObjectNode audio = session.putObject("audio");
    ObjectNode input = audio.putObject("input");
    input.set("format", format(s.inputFormat));
    if (s.transcriptionModel != null) {
      ObjectNode t = input.putObject("transcription");
      t.put("model", s.transcriptionModel);
      putIfSet(t, "language", s.transcriptionLanguage);
      putIfSet(t, "prompt", s.transcriptionPrompt);
    }
    if (s.noiseReduction != null) {
      input.putObject("noise_reduction").put("type", s.noiseReduction);
    }
    if (s.turnDetection != null) {
      turnDetection(input, s.turnDetection);
    }
    ObjectNode output = audio.putObject("output");
    output.set("format", format(s.outputFormat));
    putIfSet(output, "voice", s.voice);
    if (s.speed != null) {
      output.put("speed", s.speed);
    }
    if (!s.tools.isEmpty()) {
      ArrayNode tools = session.putArray("tools");
      for (Tool tool : s.tools) {
        ObjectNode f = tools.addObject();
        f.put("type", "function");
        f.put("name", tool.name());
        f.put("description", tool.description());
        f.set("parameters", tool.parameters());
      }
    }
    if (s.toolChoice != null) {
      if (s.toolChoice.equals("auto")
          || s.toolChoice.equals("none")
          || s.toolChoice.equals("required")) {
        session.put("tool_choice", s.toolChoice);
      } else {
        session.putObject("tool_choice").put("type", "function").put("name", s.toolChoice);
      }
    }
    if (s.maxOutputTokensInf) {
      session.put("max_output_tokens", "inf");
    } else if (s.maxOutputTokens != null) {
      session.put("max_output_tokens", s.maxOutputTokens);
    }
    if (s.truncationRetentionRatio != null) {
      ObjectNode t = session.putObject("truncation");
      t.put("type", "retention_ratio");
      t.put("retention_ratio", s.truncationRetentionRatio);
      if (s.truncationPostInstructionsTokens != null) {
        t.putObject("token_limits").put("post_instructions", s.truncationPostInstructionsTokens);
      }
    } else if (s.truncation != null) {
      session.put("truncation", s.truncation);
    }
    if (s.tracingAuto) {
      session.put("tracing", "auto");
    } else if (s.tracingWorkflowName != null
        || s.tracingGroupId != null
        || s.tracingMetadata != null) {
      ObjectNode t = session.putObject("tracing");
      putIfSet(t, "workflow_name", s.tracingWorkflowName);
      putIfSet(t, "group_id", s.tracingGroupId);
      if (s.tracingMetadata != null) {
        ObjectNode m = t.putObject("metadata");
        s.tracingMetadata.forEach(m::put);
      }
    }
    return event;
  }

  private static ObjectNode format(RealtimeAudioFormat f) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("type", f.wireType());
    if (f == RealtimeAudioFormat.PCM_24KHZ) {
      node.put("rate", f.sampleRate());
    }
    return node;
  }

  private static void turnDetection(ObjectNode input, TurnDetection detection) {
    if (detection instanceof TurnDetection.None) {
      input.putNull("turn_detection");
      return;
    }
    ObjectNode t = input.putObject("turn_detection");
    if (detection instanceof TurnDetection.ServerVad v) {
      t.put("type", "server_vad");
      if (v.threshold() != null) {
        t.put("threshold", v.threshold());
      }
      putMillis(t, "prefix_padding_ms", v.prefixPadding());
      putMillis(t, "silence_duration_ms", v.silenceDuration());
      putMillis(t, "idle_timeout_ms", v.idleTimeout());
      putIfSet(t, "create_response", v.createResponse());
      putIfSet(t, "interrupt_response", v.interruptResponse());
    } else if (detection instanceof TurnDetection.SemanticVad v) {
      t.put("type", "semantic_vad");
      t.put("eagerness", v.eagerness().wire());
      putIfSet(t, "create_response", v.createResponse());
      putIfSet(t, "interrupt_response", v.interruptResponse());
    }
  }

  private static void putMillis(ObjectNode node, String field, @Nullable Duration d) {
    if (d != null) {
      node.put(field, d.toMillis());
    }
  }

  private static void putIfSet(ObjectNode node, String field, @Nullable String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putIfSet(ObjectNode node, String field, @Nullable Boolean value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
