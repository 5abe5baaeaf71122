package dev.genaiprocessors.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.server.twilio.TwilioCodec;
import dev.genaiprocessors.testkit.twilio.TwilioCallRecord;
import dev.genaiprocessors.testkit.twilio.TwilioCaller;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The report's audio counts mean the same for every codec: PCM bytes the codec handed to the pipeline,
 * and PCM bytes of the pipeline's audio the codec sent, whatever the wire carried (raw PCM in binary
 * frames for a browser, base64 μ-law at 8 kHz in JSON for a phone).
 */
class ConversationReportTest {
  private static final int ANSWER_BYTES = 4800; // 100 ms at 24 kHz

  /** Answers the first audio part with {@link #ANSWER_BYTES} of silence at 24 kHz; ends with input. */
  private static final Processor ANSWER_ONCE =
      input ->
          input
              .filter(Part::isAudio)
              .index()
              .concatMap(
                  t ->
                      t.getT1() == 0
                          ? Flux.just(Part.audio(new byte[ANSWER_BYTES], 24000).withRole("model"))
                          : Flux.empty());

  private final List<ConversationReport> reports = new CopyOnWriteArrayList<>();
  private VoiceServer server;

  private VoiceServer start(Processor pipeline) {
    server =
        VoiceServer.builder()
            .port(0)
            .page(false)
            .endpoint("/twilio", TwilioCodec.factory(16000))
            .conversations(ConversationFactory.of(pipeline))
            .authenticator(Authenticator.allowAll())
            .onConversationEnd(reports::add)
            .build()
            .start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aPhoneCallCountsThePcmItsMuLawBecameAndThePcmOfTheAnswer() {
    start(ANSWER_ONCE);
    byte[] oneSecondAt8k = new byte[16_000]; // 8000 samples: 8000 μ-law bytes, 50 media messages
    for (int i = 0; i < oneSecondAt8k.length; i += 2) {
      oneSecondAt8k[i + 1] = (byte) (i % 64); // not silence
    }
    TwilioCallRecord call =
        TwilioCaller.builder(server.webSocketUri("/twilio"))
            .say(oneSecondAt8k, 8000)
            .build()
            .call()
            .block(LoopbackClient.WAIT);
    assertThat(call.protocolErrors()).isEmpty();
    assertThat(call.sentAudioMillis()).as("μ-law sent: 8 bytes a millisecond").isEqualTo(1000);
    assertThat(call.receivedMillis()).as("the answer reached the caller").isPositive();

    ConversationReport report = awaitReport();
    assertThat(report.closeCode()).isEqualTo(CloseCodes.NORMAL);
    // 8000 μ-law bytes are 8000 samples at 8 kHz, which the codec resamples to 16000 samples at
    // 16 kHz: 32000 bytes of PCM for the pipeline.
    assertThat(report.audioBytesIn()).isEqualTo(32_000);
    assertThat(report.audioBytesOut()).isEqualTo(ANSWER_BYTES);
  }

  @Test
  void aBrowserCountsThePcmOfItsBinaryFramesAndOfTheAnswer() {
    start(ANSWER_ONCE);
    try (LoopbackClient client =
        LoopbackClient.connect(server.webSocketUri(VoiceServer.BROWSER_PATH))) {
      client.sendText("{\"type\":\"start\",\"sampleRate\":16000}").awaitText("ready");
      client.sendBinary(new byte[640]).sendBinary(new byte[320]).sendBinary(new byte[0]);
      client.sendText("{\"type\":\"text\",\"text\":\"not audio\"}");
      client.awaitMessage(LoopbackClient.Message::isBinary);
      client.sendText("{\"type\":\"stop\"}");
      assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.NORMAL);
    }
    ConversationReport report = awaitReport();
    assertThat(report.audioBytesIn()).isEqualTo(960);
    assertThat(report.audioBytesOut()).isEqualTo(ANSWER_BYTES);
  }

  @Test
  void anInterruptionCountsOnlyWhenTheCodecToldTheClient() {
    start(input -> Flux.just(Part.interrupted())); // at once, then the conversation is over
    try (LoopbackClient phone = LoopbackClient.connect(server.webSocketUri("/twilio"))) {
      // No 'start' yet: a phone stream cannot be cleared, so nothing is sent.
      assertThat(phone.awaitClose().code()).isEqualTo(CloseCodes.NORMAL);
    }
    assertThat(awaitReport().interruptions()).isZero();
    reports.clear();
    try (LoopbackClient browser =
        LoopbackClient.connect(server.webSocketUri(VoiceServer.BROWSER_PATH))) {
      assertThat(browser.awaitText("\"interrupted\"")).isEqualTo("{\"type\":\"interrupted\"}");
      assertThat(browser.awaitClose().code()).isEqualTo(CloseCodes.NORMAL);
    }
    assertThat(awaitReport().interruptions()).isEqualTo(1);
  }

  private ConversationReport awaitReport() {
    return Flux.interval(Duration.ofMillis(10))
        .filter(i -> !reports.isEmpty())
        .map(i -> reports.get(0))
        .blockFirst(Duration.ofSeconds(10));
  }
}
