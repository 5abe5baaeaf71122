package dev.genaiprocessors.testkit.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.Blob;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendClientContentParameters;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.LiveSendToolResponseParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDK's own live client (google-genai, test scope) completes a session with the emulator: the
 * SDK derives a {@code wss} socket from its base URL, so the emulator serves TLS on 127.0.0.1 with a
 * self-signed certificate the test makes the JVM trust. The SDK's default API version ({@code v1}) is used.
 */
class GeminiLiveSdkClientTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final String[] TRUST_PROPERTIES = {
    "javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"
  };

  @TempDir Path dir;
  GeminiLiveEmulator server;
  private final String[] savedTrust = new String[TRUST_PROPERTIES.length];

  @BeforeEach
  void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=127.0.0.1");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minusSeconds(60)),
            Date.from(now.plus(Duration.ofDays(1))),
            name,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(
                  GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())
            }));
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("emulator", certificate);
    Path store = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(store)) {
      trust.store(out, "changeit".toCharArray());
    }
    // The SDK's OkHttp client trusts what the JVM's default trust manager trusts: point it at the
    // certificate.
    for (int i = 0; i < TRUST_PROPERTIES.length; i++) {
      savedTrust[i] = System.getProperty(TRUST_PROPERTIES[i]);
    }
    System.setProperty("javax.net.ssl.trustStore", store.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    server = GeminiLiveEmulator.builder().tls(pair.getPrivate(), certificate).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    for (int i = 0; i < TRUST_PROPERTIES.length; i++) {
      if (savedTrust[i] == null) {
        System.clearProperty(TRUST_PROPERTIES[i]);
      } else {
        System.setProperty(TRUST_PROPERTIES[i], savedTrust[i]);
      }
    }
  }

  static LiveServerMessage next(
      LinkedBlockingQueue<LiveServerMessage> received, Predicate<LiveServerMessage> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (; ; ) {
      LiveServerMessage m =
          received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(m).as("a message the test waits for").isNotNull();
      if (wanted.test(m)) {
        return m;
      }
    }
  }

  @Test
  void theSdksLiveClientCompletesASessionWithTextAudioAToolCallAndAGoAway() throws Exception {
    byte[] speech = new byte[4800];
    server.enqueue(
        Script.builder()
            .turn(
                Reply.text("Hello from the emulator"),
                Reply.generationComplete(),
                Reply.turnComplete())
            .turn(
                Reply.inputTranscription("weather?"),
                Reply.toolCall("fc-1", "get_weather", "{\"city\": \"Paris\"}"),
                Reply.text("Sunny in Paris"),
                Reply.audio(speech),
                Reply.turnComplete(),
                Fault.goAway(Duration.ofSeconds(30)))
            .build());
    Client client =
        Client.builder()
            .apiKey(server.apiKey())
            .httpOptions(HttpOptions.builder().baseUrl(server.sdkBaseUrl()).build())
            .build();
    FunctionDeclaration weather =
        FunctionDeclaration.builder()
            .name("get_weather")
            .description("Get weather")
            .parameters(
                Schema.builder()
                    .type("OBJECT")
                    .properties(Map.of("city", Schema.builder().type("STRING").build())))
            .build();
    LiveConnectConfig config =
        LiveConnectConfig.builder()
            .responseModalities("AUDIO")
            .systemInstruction(
                Content.fromParts(com.google.genai.types.Part.fromText("You are terse.")))
            .tools(List.of(Tool.builder().functionDeclarations(weather).build()))
            .build();
    LinkedBlockingQueue<LiveServerMessage> received = new LinkedBlockingQueue<>();
    AsyncSession session =
        client
            .async
            .live
            .connect("gemini-live-2.5-flash-preview", config)
            .get(10, TimeUnit.SECONDS);
    try {
      session.receive(received::add);
      assertThat(session.sessionId()).startsWith("emulated-session-");

      session
          .sendClientContent(
              LiveSendClientContentParameters.builder()
                  .turns(
                      Content.builder()
                          .role("user")
                          .parts(com.google.genai.types.Part.fromText("Hi")))
                  .turnComplete(true)
                  .build())
          .get(10, TimeUnit.SECONDS);
      LiveServerMessage hello =
          next(received, m -> m.serverContent().flatMap(c -> c.modelTurn()).isPresent());
      assertThat(hello.serverContent().get().modelTurn().get().parts().get().get(0).text())
          .contains("Hello from the emulator");
      next(received, m -> m.serverContent().flatMap(c -> c.turnComplete()).orElse(false));

      session
          .sendRealtimeInput(
              LiveSendRealtimeInputParameters.builder()
                  .audio(Blob.builder().mimeType("audio/pcm;rate=16000").data(new byte[3200]))
                  .build())
          .get(10, TimeUnit.SECONDS);
      session
          .sendRealtimeInput(LiveSendRealtimeInputParameters.builder().audioStreamEnd(true).build())
          .get(10, TimeUnit.SECONDS);
      LiveServerMessage call = next(received, m -> m.toolCall().isPresent());
      assertThat(call.toolCall().get().functionCalls().get().get(0).name()).contains("get_weather");
      assertThat(received.poll(200, TimeUnit.MILLISECONDS))
          .as("a BLOCKING call pauses the turn")
          .isNull();
      session
          .sendToolResponse(
              LiveSendToolResponseParameters.builder()
                  .functionResponses(
                      FunctionResponse.builder()
                          .id("fc-1")
                          .name("get_weather")
                          .response(Map.of("output", "sunny")))
                  .build())
          .get(10, TimeUnit.SECONDS);
      next(
          received,
          m ->
              m.serverContent()
                  .flatMap(c -> c.modelTurn())
                  .flatMap(t -> t.parts())
                  .map(p -> p.get(0).text().orElse("").equals("Sunny in Paris"))
                  .orElse(false));
      LiveServerMessage audio =
          next(
              received,
              m ->
                  m.serverContent()
                      .flatMap(c -> c.modelTurn())
                      .flatMap(t -> t.parts())
                      .map(p -> p.get(0).inlineData().isPresent())
                      .orElse(false));
      assertThat(
              audio
                  .serverContent()
                  .get()
                  .modelTurn()
                  .get()
                  .parts()
                  .get()
                  .get(0)
                  .inlineData()
                  .get()
                  .data()
                  .get())
          .hasSize(speech.length);
      LiveServerMessage goAway = next(received, m -> m.goAway().isPresent());
      assertThat(goAway.goAway().get().timeLeft()).contains(Duration.ofSeconds(30));
    } finally {
      session.close().get(10, TimeUnit.SECONDS);
      client.close();
    }
    List<String> types = new java.util.ArrayList<>();
    for (ClientMessage m = server.takeMessage(Duration.ofMillis(200));
        m != null;
        m = server.takeMessage(Duration.ofMillis(200))) {
      types.add(m.type());
      assertThat(m.connection()).isEqualTo(1);
    }
    assertThat(types)
        .containsExactly(
            "setup", "clientContent", "realtimeInput", "realtimeInput", "toolResponse");
    assertThat(server.paths())
        .as("the SDK's default API version")
        .containsExactly(
            "/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent");
    assertThat(server.takeClose(WAIT)).as("the SDK closed the socket").isNotNull();
  }
}
