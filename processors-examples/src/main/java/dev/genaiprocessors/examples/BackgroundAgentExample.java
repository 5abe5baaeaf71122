package dev.genaiprocessors.examples;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.live.agents.BackgroundAgents;
import dev.genaiprocessors.live.agents.Delivery;
import dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor;
import dev.genaiprocessors.server.agents.HttpAgent;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A voice assistant with a background agent: each completed turn goes to a local agent server over HTTP (1 to
 * 5 s per task, actions such as {@code email_sent} and {@code calendar_updated}) while the conversation goes
 * on, and the assistant speaks each result once it is idle. The console shows the conversation, the tasks
 * starting and finishing, the reports, and the trace (Micrometer Observation, printed as spans end).
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.BackgroundAgentExample \
 *     -Dexec.args="[gemini|openai]"
 * }</pre>
 *
 * <p><b>Provider.</b> As in {@link RealtimeVoiceExample}: {@code gemini} or {@code openai}, default Gemini
 * unless only {@code OPENAI_API_KEY} is set. With the provider's key the real API is called; without it (the
 * default) the provider's loopback emulator answers, so the example needs no key and contacts nothing but
 * 127.0.0.1. The user's words are typed here (scripted), so that it runs anywhere; audio parts in take the same
 * path.
 */
public final class BackgroundAgentExample {
  static final List<String> USER =
      List.of(
          "Please email Bob that I'll be ten minutes late.",
          "And put lunch with Ann on my calendar for tomorrow at noon.",
          "Thanks. What should I wear today?");
  static final Duration DEADLINE = Duration.ofSeconds(60);

  private BackgroundAgentExample() {}

  /**
   * Runs the example.
   *
   * @param args {@code [gemini|openai]}
   * @throws InterruptedException when interrupted while waiting for the assistant
   */
  public static void main(String[] args) throws InterruptedException {
    String provider =
        args.length > 0
            ? args[0].toLowerCase(Locale.ROOT)
            : isSet("OPENAI_API_KEY") && !isSet("GEMINI_API_KEY") ? "openai" : "gemini";
    try (AgentServer agentServer = AgentServer.start(Schedulers.parallel())) {
      System.out.println("Background agent server on " + agentServer.uri());
      if (provider.equals("openai")) {
        if (isSet("OPENAI_API_KEY")) {
          System.out.println("Using OpenAI Realtime with OPENAI_API_KEY");
          run(
              OpenAiRealtimeProcessor.builder().apiKey(System.getenv("OPENAI_API_KEY")).build(),
              agentServer,
              System.out);
        } else {
          System.out.println("Using the local OpenAI Realtime emulator (no OPENAI_API_KEY)");
          try (OpenAiRealtimeEmulator emulator = openAiEmulator()) {
            run(
                OpenAiRealtimeProcessor.builder()
                    .uri(emulator.uri())
                    .apiKey(emulator.apiKey())
                    .build(),
                agentServer,
                System.out);
          }
        }
      } else if (isSet("GEMINI_API_KEY")) {
        System.out.println("Using Gemini Live with GEMINI_API_KEY");
        run(
            GeminiLiveProcessor.builder()
                .apiKey(System.getenv("GEMINI_API_KEY"))
                .model(LiveVoiceExample.DEFAULT_MODEL)
                .responseModalities(GeminiLiveProcessor.Modality.AUDIO)
                .outputTranscription(true)
                .build(),
            agentServer,
            System.out);
      } else {
        System.out.println("Using the local Gemini Live emulator (no GEMINI_API_KEY)");
        try (GeminiLiveEmulator emulator = geminiEmulator()) {
          run(
              GeminiLiveProcessor.builder()
                  .uri(emulator.uri())
                  .apiKey(emulator.apiKey())
                  .model("gemini-live-2.5-flash-preview")
                  .build(),
              agentServer,
              System.out);
        }
      }
    }
  }

  /** The conversation: each user turn after the assistant's answer, then until every task is reported. */
  static void run(LiveProcessor model, AgentServer agentServer, PrintStream print)
      throws InterruptedException {
    ObservationRegistry traces = ObservationRegistry.create();
    traces.observationConfig().observationHandler(new ConsoleTrace(print));
    LiveProcessor assistant =
        BackgroundAgents.builder(HttpAgent.builder(URI.create(agentServer.uri())).build())
            .everyTurn(Delivery.SPEAK_WHEN_IDLE)
            .timeout(Duration.ofSeconds(10))
            .observationRegistry(traces)
            .build()
            .around(model);
    Sinks.Many<Part> user = Sinks.many().unicast().onBackpressureBuffer();
    BlockingQueue<Part> out = new LinkedBlockingQueue<>();
    Disposable session =
        assistant
            .apply(user.asFlux())
            .subscribe(out::add, e -> out.add(Part.status("error: " + e.getMessage())));
    StringBuilder said = new StringBuilder();
    int turnsEnded = 0;
    int tasksStarted = 0;
    int tasksDone = 0;
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    try {
      int next = 0;
      boolean waiting = false;
      while (System.nanoTime() < deadline) {
        if (!waiting && next < USER.size()) {
          print.println("you: " + USER.get(next));
          user.tryEmitNext(Part.text(USER.get(next++)).withRole("user"));
          waiting = true;
        }
        if (next == USER.size()
            && !waiting
            && tasksDone == tasksStarted
            && turnsEnded >= USER.size() + tasksDone) {
          break; // every turn answered, every task finished and reported
        }
        Part p = out.poll(1, TimeUnit.SECONDS);
        if (p == null) {
          continue;
        }
        Object state = p.metadata(BackgroundAgents.TASK_STATE);
        if (state != null) {
          print.println("  [" + p.text() + "]");
          if (state.equals("started")) {
            tasksStarted++;
          } else {
            tasksDone++;
          }
        } else if (p.isStatus() && p.text().startsWith("error: ")) {
          print.println(p.text());
          break;
        } else if (p.isText()
            && "model".equals(p.role())
            && !p.text().isEmpty()
            && (p.substream().isEmpty() || p.isFinalTranscription())) {
          said.append(p.text());
        } else if (p.isEndOfTurn()) {
          boolean report = OutOfBandRequest.isOutOfBand(p) || !waiting;
          print.println((report ? "assistant (report): " : "assistant: ") + said.toString().trim());
          said.setLength(0);
          turnsEnded++;
          if (!report) {
            waiting = false;
          }
        }
      }
    } finally {
      user.tryEmitComplete();
      session.dispose();
    }
    print.println("Done: " + tasksStarted + " tasks, " + tasksDone + " finished.");
  }

  /** Prints each span as it ends: name, ids, outcome, duration. Never text or audio (none is recorded). */
  static final class ConsoleTrace implements ObservationHandler<Observation.Context> {
    private final PrintStream print;

    ConsoleTrace(PrintStream print) {
      this.print = print;
    }

    @Override
    public void onStop(Observation.Context c) {
      StringBuilder line = new StringBuilder("  trace: ").append(c.getName());
      for (KeyValue kv : c.getAllKeyValues()) {
        if (!kv.getKey().equals("conversation.id")) {
          line.append(' ').append(kv.getKey()).append('=').append(kv.getValue());
        }
      }
      print.println(line);
    }

    @Override
    public void onEvent(Observation.Event event, Observation.Context c) {
      print.println("  trace: " + c.getName() + " event " + event.getName());
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  /** Gemini's emulator, answering like an assistant: the user's requests, and the reports of results. */
  static GeminiLiveEmulator geminiEmulator() {
    return GeminiLiveEmulator.builder()
        .whenScriptExhausted(
            text ->
                List.of(
                    dev.genaiprocessors.testkit.gemini.Reply.text(assistantSays(text)),
                    dev.genaiprocessors.testkit.gemini.Reply.turnComplete()))
        .build()
        .start();
  }

  /** OpenAI's emulator: out-of-band responses report results, others acknowledge. */
  static OpenAiRealtimeEmulator openAiEmulator() {
    return OpenAiRealtimeEmulator.builder()
        .whenScriptExhausted(
            m -> {
              String input = m.json().path("response").path("input").toString();
              boolean report =
                  "none".equals(m.json().path("response").path("conversation").asString(""));
              return List.of(
                  Reply.response(Output.text(report ? assistantSays(input) : "Sure, I'm on it.")));
            })
        .build()
        .start();
  }

  static String assistantSays(String heard) {
    if (heard.contains("email_sent")) {
      return "Your email to Bob has been sent.";
    }
    if (heard.contains("calendar_updated")) {
      return "Lunch with Ann is on your calendar.";
    }
    if (heard.contains("did not finish")) {
      return "Sorry, that task did not work.";
    }
    if (heard.contains("Background task")) {
      return "Noted.";
    }
    return heard.toLowerCase(Locale.ROOT).contains("wear")
        ? "A light jacket should do."
        : "Sure, I'm on it.";
  }

  private static boolean isSet(String variable) {
    String v = System.getenv(variable);
    return v != null && !v.isBlank();
  }
}
