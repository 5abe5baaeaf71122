package dev.genaiprocessors.examples;

import dev.genaiprocessors.client.internal.WireJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local background-agent server on 127.0.0.1 implementing the HTTP agent contract of {@code HttpAgent}:
 * {@code POST /agent} with the conversation so far, answered after 1 to 5 seconds (by the task's id, on the
 * given scheduler) with {@code status}, {@code results} and {@code timestamp}. The action follows the user's
 * last words: {@code email_sent}, {@code calendar_updated}, {@code research_done}, else {@code noted}. It does
 * nothing real: it stands for the agent servers an application runs behind a load balancer.
 */
final class AgentServer implements AutoCloseable {
  private final DisposableServer server;

  private AgentServer(DisposableServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port; waits are counted on {@code clock}. */
  static AgentServer start(Scheduler clock) {
    DisposableServer s =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                r ->
                    r.post(
                        "/agent",
                        (req, res) ->
                            req.receive()
                                .aggregate()
                                .asString()
                                .flatMap(
                                    body -> {
                                      JsonNode task = WireJson.tryParse(body);
                                      if (task == null || !task.isObject()) {
                                        return res.status(400)
                                            .sendString(Mono.just("not JSON"))
                                            .then();
                                      }
                                      String taskId = task.path("task_id").asString("");
                                      Duration work =
                                          Duration.ofSeconds(
                                              1 + Math.floorMod(taskId.hashCode(), 5));
                                      return Mono.delay(work, clock)
                                          .then(
                                              res.header("Content-Type", "application/json")
                                                  .sendString(
                                                      Mono.fromSupplier(() -> answer(task, clock)))
                                                  .then());
                                    })))
            .bindNow();
    return new AgentServer(s);
  }

  String uri() {
    return "http://127.0.0.1:" + server.port() + "/agent";
  }

  private static String answer(JsonNode task, Scheduler clock) {
    String said = "";
    for (JsonNode m : task.path("history")) {
      if ("user".equals(m.path("role").asString(""))) {
        said = m.path("content").asString("");
      }
    }
    String words = said.toLowerCase(Locale.ROOT);
    ObjectNode result = WireJson.MAPPER.createObjectNode();
    result.put("status", "completed");
    ObjectNode action = result.putArray("results").addObject();
    if (words.contains("email")) {
      action
          .put("action", "email_sent")
          .put("to", words.contains("bob") ? "bob@example.com" : "someone");
    } else if (words.contains("calendar") || words.contains("lunch") || words.contains("meeting")) {
      action.put("action", "calendar_updated").put("event", said);
    } else if (words.contains("research")) {
      action.put("action", "research_done").put("topic", said);
    } else {
      action.put("action", "noted");
    }
    result.put("timestamp", Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS)).toString());
    return WireJson.write(result);
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
