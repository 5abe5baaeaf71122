package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.server.Authenticator;
import dev.genaiprocessors.server.ConversationReport;
import dev.genaiprocessors.server.VoiceServer;
import dev.genaiprocessors.server.twilio.TwilioCodec;
import dev.genaiprocessors.server.twilio.TwilioEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link VoiceServer} on 127.0.0.1 whose pipeline sends the caller's audio back (an echo), with Twilio
 * Media Streams on {@code /twilio}: the server of {@link ConversationLoad} and of the nginx scale-out
 * ({@code .ci/nginx-scaleout}), where it runs as its own process:
 *
 * <pre>{@code
 * java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.EchoVoiceServer A 20
 * }</pre>
 *
 * <p>Arguments: the instance's name, and the drain grace in seconds. It binds a free port and prints
 * {@code port <n>}; then a line {@code served <instance> <call> <close code> <ms in> <ms out>} for each
 * conversation as it ends ({@code <call>} is the TwiML parameter {@code call} of the caller). On SIGTERM it
 * drains: prints {@code draining <open conversations>}, stops accepting connections, lets the conversations
 * end within the grace, prints {@code drained} and exits. It keeps nothing that outlives a connection.
 */
public final class EchoVoiceServer {
  private EchoVoiceServer() {}

  /**
   * The echo server, not started.
   *
   * @param maxConnections the connection limit
   * @param onEnd told each conversation's report with the caller's {@code call} parameter (or "-")
   * @return the server's builder, with the port 0
   */
  static VoiceServer.Builder builder(int maxConnections, Consumer<Ended> onEnd) {
    Map<String, TwilioCodec> codecs = new ConcurrentHashMap<>();
    Processor echo = input -> input.filter(Part::isAudio).map(p -> p.withRole("model"));
    return VoiceServer.builder()
        .port(0)
        .page(false)
        .authenticator(Authenticator.allowAll())
        .maxConnections(maxConnections)
        .endpoint("/twilio", TwilioCodec.factory(16000))
        .conversations(
            (connection, codec) -> {
              codecs.put(connection.id(), (TwilioCodec) codec);
              return echo;
            })
        .onConversationEnd(
            report -> {
              TwilioCodec codec = codecs.remove(report.id());
              TwilioEvent.Start start = codec == null ? null : codec.call().started();
              String call =
                  start == null ? "-" : start.customParameters().getOrDefault("call", "-");
              onEnd.accept(new Ended(call, report));
            });
  }

  /**
   * A conversation that ended.
   *
   * @param call the caller's {@code call} parameter
   * @param report the server's report
   */
  record Ended(String call, ConversationReport report) {}

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "A";
    Duration grace = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
    VoiceServer server =
        builder(
                1000,
                e ->
                    System.out.printf(
                        "served %s %s %d %d %d%n",
                        name,
                        e.call(),
                        e.report().closeCode(),
                        e.report().audioBytesIn() / 32,
                        e.report().audioBytesOut() / 32))
            .build()
            .start();
    Thread drain =
        new Thread(
            () -> {
              System.out.println("draining " + server.activeConversations());
              server.drain(grace).block(grace.plusSeconds(30));
              System.out.println("drained");
              System.out.flush();
            });
    Runtime.getRuntime().addShutdownHook(drain);
    System.out.println("port " + server.port());
    System.out.flush();
    Thread.currentThread().join(); // until SIGTERM
  }
}
