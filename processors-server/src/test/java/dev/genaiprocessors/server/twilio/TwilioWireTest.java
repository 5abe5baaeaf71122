package dev.genaiprocessors.server.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Media Streams messages as Twilio's "WebSocket Messages" page shows them, read and written. */
class TwilioWireTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void readsConnected() {
    assertThat(
            TwilioWire.parse(
                "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"))
        .isEqualTo(new TwilioEvent.Connected("Call", "1.0.0"));
  }

  @Test
  void readsStartWithItsFormatAndParameters() {
    String start =
        """
        {"event":"start","sequenceNumber":"1","start":{"accountSid":"ACxx","streamSid":"MZ18",
         "callSid":"CAxx","tracks":["inbound","outbound"],
         "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},
         "customParameters":{"FirstName":"Jane"}},"streamSid":"MZ18"}
        """;
    assertThat(TwilioWire.parse(start))
        .isEqualTo(
            new TwilioEvent.Start(
                "MZ18",
                "CAxx",
                "ACxx",
                List.of("inbound", "outbound"),
                "audio/x-mulaw",
                8000,
                1,
                Map.of("FirstName", "Jane")));
  }

  @Test
  void readsMediaWithItsNumbersWrittenAsStrings() {
    String media =
        "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\","
            + "\"timestamp\":\"5\",\"payload\":\""
            + Base64.getEncoder().encodeToString(new byte[] {1, 2, (byte) 0xFF})
            + "\"},\"streamSid\":\"MZ18\"}";
    TwilioEvent.Media m = (TwilioEvent.Media) TwilioWire.parse(media);
    assertThat(m.streamSid()).isEqualTo("MZ18");
    assertThat(m.isInbound()).isTrue();
    assertThat(m.chunk()).isEqualTo(1);
    assertThat(m.timestampMillis()).isEqualTo(5);
    assertThat(m.ulaw()).containsExactly(1, 2, 0xFF);
    assertThat(m.toString()).doesNotContain("AQL/").contains("bytes=3");
  }

  @Test
  void readsMarkDtmfAndStop() {
    assertThat(
            TwilioWire.parse(
                "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ18\",\"mark\":{\"name\":\"a1\"}}"))
        .isEqualTo(new TwilioEvent.Mark("MZ18", "a1"));
    assertThat(
            TwilioWire.parse(
                "{\"event\":\"dtmf\",\"streamSid\":\"MZ18\",\"sequenceNumber\":\"5\","
                    + "\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"1\"}}"))
        .isEqualTo(new TwilioEvent.Dtmf("MZ18", "1"));
    assertThat(
            TwilioWire.parse(
                "{\"event\":\"stop\",\"sequenceNumber\":\"5\",\"stop\":{\"accountSid\":\"ACxx\","
                    + "\"callSid\":\"CAxx\"},\"streamSid\":\"MZ18\"}"))
        .isEqualTo(new TwilioEvent.Stop("MZ18"));
  }

  @Test
  void writesMediaMarkAndClearAsTwilioReadsThem() {
    JsonNode media = JSON.readTree(TwilioWire.media("MZ18", new byte[] {(byte) 0xFF, 0x7F}));
    assertThat(media.get("event").stringValue()).isEqualTo("media");
    assertThat(media.get("streamSid").stringValue()).isEqualTo("MZ18");
    assertThat(Base64.getDecoder().decode(media.get("media").get("payload").stringValue()))
        .containsExactly(0xFF, 0x7F);
    JsonNode mark = JSON.readTree(TwilioWire.mark("MZ18", "a7"));
    assertThat(mark.get("event").stringValue()).isEqualTo("mark");
    assertThat(mark.get("mark").get("name").stringValue()).isEqualTo("a7");
    assertThat(TwilioWire.clear("MZ18")).isEqualTo("{\"event\":\"clear\",\"streamSid\":\"MZ18\"}");
  }

  @Test
  void badMessagesAreTypedErrorsThatSayWhatWasWrong() {
    assertThatThrownBy(() -> TwilioWire.parse("{not json"))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> TwilioWire.parse("[1]"))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("not an object");
    assertThatThrownBy(() -> TwilioWire.parse("{\"event\":\"hangup\",\"streamSid\":\"MZ\"}"))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("unknown Media Streams event 'hangup'")
        .hasMessageContaining("connected, start, media, mark, dtmf and stop");
    assertThatThrownBy(() -> TwilioWire.parse("{\"streamSid\":\"MZ\"}"))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("'event'");
    assertThatThrownBy(
            () -> TwilioWire.parse("{\"event\":\"media\",\"streamSid\":\"MZ\",\"media\":{}}"))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("'payload'");
    assertThatThrownBy(
            () ->
                TwilioWire.parse(
                    "{\"event\":\"media\",\"streamSid\":\"MZ\",\"media\":{\"payload\":\"@@@\"}}"))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("not base64");
    assertThatThrownBy(
            () -> TwilioWire.parse("{\"event\":\"mark\",\"streamSid\":\"MZ\",\"mark\":7}"))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("'mark'");
    assertThatThrownBy(() -> TwilioWire.parse("{\"event\":\"stop\"}"))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("'streamSid'");
    assertThatThrownBy(() -> TwilioWire.parse(" ".repeat(TwilioWire.MAX_MESSAGE_CHARS + 1)))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("longer than the limit");
  }
}
