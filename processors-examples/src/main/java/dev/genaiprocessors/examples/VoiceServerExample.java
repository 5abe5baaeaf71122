package dev.genaiprocessors.examples;

import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeProvider;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import dev.genaiprocessors.offline.realtime.LocalLiveProcessor;
import dev.genaiprocessors.server.Authenticator;
import dev.genaiprocessors.server.ConversationFactory;
import dev.genaiprocessors.server.ConversationReport;
import dev.genaiprocessors.server.VoiceServer;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * A voice agent that people talk to from a browser: the {@link VoiceServer} serves its page on
 * {@code http://127.0.0.1:8080}, and each browser tab that presses Start is one conversation with a live
 * provider. Every conversation is logged with its report when it ends.
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.VoiceServerExample \
 *     -Dexec.args="[local|gemini|openai] [--port 8080] [--host 127.0.0.1]"
 * }</pre>
 *
 * <p><b>Provider.</b> Named by the first argument, or the first one configured, as {@link RealtimeVoice}
 * picks: OpenAI Realtime with {@code OPENAI_API_KEY}, Gemini Live with {@code GEMINI_API_KEY}, else the
 * local provider (VAD, Sphinx4, the offline responder and FreeTTS: no key, no network, demo quality).
 *
 * <p><b>Who may connect.</b> It binds to loopback ({@code 127.0.0.1}) unless {@code --host} says
 * otherwise, and then lets in the page's own origin only. On loopback every client is let in; on any
 * other address it requires {@code VOICE_SERVER_TOKEN} (clients present it as {@code ?token=} or
 * {@code Authorization: Bearer}), and refuses to start without it. Serve other machines behind TLS (a
 * browser gives the microphone to {@code https} pages and to {@code localhost} only).
 *
 * <p>Ctrl-C drains the server: no new conversations, ten seconds for those under way to end.
 */
public final class VoiceServerExample {
  /** The port by default: {@value}. */
  static final int DEFAULT_PORT = 8080;

  /** How long conversations may go on after Ctrl-C. */
  static final Duration GRACE = Duration.ofSeconds(10);

  /** The variable that holds the clients' token when the server binds to another address than loopback. */
  static final String TOKEN_VARIABLE = "VOICE_SERVER_TOKEN";

  private VoiceServerExample() {}

  /** The command line: provider name (or null to pick), host, port. */
  record Options(@Nullable String provider, String host, int port) {
    static Options parse(String[] args) {
      String provider = null;
      String host = "127.0.0.1";
      int port = DEFAULT_PORT;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
          case "--host" -> host = value(args, ++i, "--host");
          default -> {
            if (args[i].startsWith("--") || provider != null) {
              throw new IllegalArgumentException(
                  "unknown argument '"
                      + args[i]
                      + "'; expected [local|gemini|openai] [--port N] [--host H]");
            }
            provider = args[i];
          }
        }
      }
      return new Options(provider, host, port);
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }
  }

  /**
   * Runs the server until Ctrl-C.
   *
   * @param args {@code [local|gemini|openai] [--port N] [--host H]}
   * @throws InterruptedException when interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    Options options = Options.parse(args);
    Map<String, String> env = System.getenv();
    RealtimeProvider provider = provider(options.provider(), env);
    LiveProcessor live =
        provider.create(
            RealtimeConfig.builder()
                .instructions(
                    "You are a friendly voice assistant. Answer in one or two short sentences.")
                .build(),
            env);
    if (live instanceof LocalLiveProcessor local) {
      // The local engines load in the background while the server starts, so the first caller does
      // not wait seconds for Sphinx4, the responder's model and FreeTTS (see
      // LocalLiveProcessor#warmUp).
      local
          .warmUp()
          .subscribe(
              null,
              e -> System.err.println("The local engines could not warm up: " + e.getMessage()));
    }
    VoiceServer server = serve(live, options.host(), options.port(), env, System.out);
    System.out.println(
        "Serving the "
            + provider.name()
            + " provider: open http://"
            + options.host()
            + ":"
            + server.port()
            + "/ in Chrome or Firefox, press Start and speak. Ctrl-C to stop.");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println(
                      "Draining: " + server.activeConversations() + " conversations open.");
                  server.drain(GRACE).block(GRACE.plusSeconds(10));
                  stopped.countDown();
                }));
    stopped.await();
  }

  /**
   * The provider named, or the first configured one in {@link RealtimeVoice}'s order.
   *
   * @param name {@code local}, {@code gemini}, {@code openai}, or null to pick
   * @param env the environment with the keys
   * @return the provider
   */
  static RealtimeProvider provider(@Nullable String name, Map<String, String> env) {
    RealtimeVoice.Builder pick = RealtimeVoice.builder().environment(env);
    if (name != null) {
      pick.provider(name);
    }
    String chosen = pick.build().provider();
    for (RealtimeProvider p : ServiceLoader.load(RealtimeProvider.class)) {
      if (p.name().equals(chosen)) {
        return p;
      }
    }
    throw new IllegalStateException("no provider named " + chosen + " on the class path");
  }

  /**
   * Starts the server: the page, and one conversation with {@code live} per connection, each reported on
   * {@code out} when it ends.
   *
   * @param live the live processor (each subscription is one conversation)
   * @param host the address to bind
   * @param port the port, 0 for any free one
   * @param env where {@value #TOKEN_VARIABLE} is read when {@code host} is not loopback
   * @param out where the reports are printed
   * @return the started server
   * @throws IllegalArgumentException when {@code host} is not loopback and no token is set
   */
  static VoiceServer serve(
      LiveProcessor live, String host, int port, Map<String, String> env, PrintStream out) {
    Authenticator authenticator;
    if (isLoopback(host)) {
      authenticator = Authenticator.allowAll(); // loopback: only this machine can connect
    } else {
      String token = env.get(TOKEN_VARIABLE);
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException(
            "binding to "
                + host
                + " serves other machines: set "
                + TOKEN_VARIABLE
                + " to a long random secret (clients send it as ?token= or Authorization: Bearer)");
      }
      authenticator = Authenticator.bearerToken(token);
    }
    return VoiceServer.builder()
        .host(host)
        .port(port)
        .conversations(ConversationFactory.of(live))
        .authenticator(authenticator)
        .onConversationEnd(report -> out.println(describe(report)))
        .build()
        .start();
  }

  /** One line per conversation. */
  static String describe(ConversationReport r) {
    return String.format(
        "Conversation %s (%s) ended after %.1f s: close %d (%s); heard %.1f s of audio, sent %.1f s;"
            + " %d interruptions; %d audio parts dropped",
        r.id(),
        r.principal(),
        r.duration().toMillis() / 1000.0,
        r.closeCode(),
        r.reason(),
        r.audioBytesIn() / 32000.0,
        r.audioBytesOut() / 48000.0,
        r.interruptions(),
        r.audioPartsDropped());
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
