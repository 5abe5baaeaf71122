package dev.genaiprocessors.examples.agents;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.openai.Action;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Each live provider on its emulator, scripted alike: a user text is answered {@code answer to: <text>}
 * (Gemini; OpenAI answers {@code answer}), a report of a result is answered {@code (report) <result>}, a
 * text {@code CALL send_email} makes the model call {@code send_email}. With {@link #holdReports} set, a report
 * is not finished, so that the user can cut it.
 */
interface EmulatorFixtures extends AutoCloseable {

  LiveProcessor live();

  /** Reports stay open until cut. */
  AtomicBoolean holdReports();

  /** The model's next response calls {@code send_email} (OpenAI; Gemini reacts to the text). */
  void scriptToolCall();

  /** The user starts speaking over the assistant: the input that makes the server say so. */
  Part bargeIn();

  @Override
  void close();

  static EmulatorFixtures of(String provider) {
    return provider.equals("gemini") ? new Gemini() : new OpenAi();
  }

  /** {@code send_email} as declared to the model; it runs in the background agent, never here. */
  Tool SEND_EMAIL =
      Tool.of(
          "send_email",
          "Sends an email in the background",
          JsonNodeFactory.instance.objectNode().put("type", "object"),
          args -> {
            throw new IllegalStateException("send_email runs in the background agent");
          });

  /** Gemini Live. */
  final class Gemini implements EmulatorFixtures {
    final AtomicBoolean hold = new AtomicBoolean();
    final AtomicInteger calls = new AtomicInteger();
    final GeminiLiveEmulator emulator =
        GeminiLiveEmulator.builder().whenScriptExhausted(this::reply).build().start();

    private List<dev.genaiprocessors.testkit.gemini.Step> reply(String text) {
      if (text.isEmpty()) { // a prompting function response
        return List.of(
            dev.genaiprocessors.testkit.gemini.Reply.text("(reported)"),
            dev.genaiprocessors.testkit.gemini.Reply.turnComplete());
      }
      if (text.startsWith("CALL ")) {
        return List.of(
            dev.genaiprocessors.testkit.gemini.Reply.toolCall(
                "fc-" + calls.incrementAndGet(), "send_email", "{\"to\":\"bob\"}"),
            dev.genaiprocessors.testkit.gemini.Reply.text("On it."),
            dev.genaiprocessors.testkit.gemini.Reply.turnComplete());
      }
      if (text.startsWith("Background task")) {
        return hold.get()
            ? List.of(
                dev.genaiprocessors.testkit.gemini.Reply.text("(report) " + text),
                dev.genaiprocessors.testkit.gemini.Reply.hold())
            : List.of(
                dev.genaiprocessors.testkit.gemini.Reply.text("(report) " + text),
                dev.genaiprocessors.testkit.gemini.Reply.turnComplete());
      }
      return List.of(
          dev.genaiprocessors.testkit.gemini.Reply.text("answer to: " + text),
          dev.genaiprocessors.testkit.gemini.Reply.turnComplete());
    }

    @Override
    public LiveProcessor live() {
      return GeminiLiveProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .model("gemini-live-2.5-flash-preview")
          .nonBlockingTools(SEND_EMAIL)
          .build();
    }

    @Override
    public AtomicBoolean holdReports() {
      return hold;
    }

    @Override
    public void scriptToolCall() {}

    @Override
    public Part bargeIn() {
      return Part.text("Stop, thanks")
          .withRole("user"); // a clientContent interrupts the generation
    }

    @Override
    public void close() {
      emulator.close();
    }
  }

  /** OpenAI Realtime. */
  final class OpenAi implements EmulatorFixtures {
    final AtomicBoolean hold = new AtomicBoolean();
    final OpenAiRealtimeEmulator emulator =
        OpenAiRealtimeEmulator.builder().whenScriptExhausted(this::reply).build().start();

    private List<Action> reply(dev.genaiprocessors.testkit.openai.ClientMessage m) {
      JsonNode r = m.json().path("response");
      if ("none".equals(r.path("conversation").asString(""))) {
        StringBuilder said = new StringBuilder();
        for (JsonNode item : r.path("input")) {
          for (JsonNode c : item.path("content")) {
            said.append(c.path("text").asString(""));
          }
        }
        Output report = Output.text("(report) " + said);
        return List.of(hold.get() ? Reply.openResponse(report) : Reply.response(report));
      }
      return List.of(Reply.response(Output.text("answer")));
    }

    @Override
    public LiveProcessor live() {
      return OpenAiRealtimeProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .build();
    }

    @Override
    public AtomicBoolean holdReports() {
      return hold;
    }

    @Override
    public void scriptToolCall() {
      emulator.enqueue(
          Script.builder()
              .on(
                  "response.create",
                  Reply.response(Output.functionCall("call-1", "send_email", "{\"to\":\"bob\"}")))
              .build());
    }

    @Override
    public Part bargeIn() {
      emulator.enqueue(
          Script.builder().on("input_audio_buffer.append", Reply.speechStarted()).build());
      return Part.audio(new byte[4_800], 24_000);
    }

    @Override
    public void close() {
      emulator.close();
    }
  }
}
