package dev.genaiprocessors.offline.responder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntentTableTest {

  private static IntentTable parse(String json) {
    return IntentTable.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theBundledTableKnowsTheAdvertisedIntents() {
    IntentTable table = IntentTable.bundled();

    assertThat(table.intents())
        .extracting(IntentTable.Intent::name)
        .containsExactly("greeting", "weather", "time", "joke", "help", "goodbye");
    assertThat(table.fallback()).isNotEmpty();
    assertThat(table.intents()).allSatisfy(i -> assertThat(i.examples()).isNotEmpty());
  }

  @Test
  void readsATableOfOnesOwn() {
    IntentTable table =
        parse(
            """
        {"intents": [{"name": "order", "examples": ["a pizza please"], "replies": ["Coming up."]}],
         "fallback": ["Pardon?"]}
        """);

    assertThat(table.intents())
        .containsExactly(
            new IntentTable.Intent("order", List.of("a pizza please"), List.of("Coming up.")));
    assertThat(table.fallback()).containsExactly("Pardon?");
  }

  @Test
  void saysWhatIsWrongWithABadTable() {
    assertThatThrownBy(() -> parse("{ not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> parse("{\"fallback\": []}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'intents' array");
    assertThatThrownBy(
            () ->
                parse(
                    """
        {"intents": [{"name": "a", "examples": [], "replies": ["x"]}, {"name": "a", "examples": ["y"], "replies": [1]}],
         "fallback": []}
        """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("intents[1].replies must hold strings");
    assertThatThrownBy(
            () ->
                parse(
                    """
        {"intents": [{"name": "a", "examples": [], "replies": ["x"]}, {"name": "a", "examples": ["y"], "replies": ["z"]},
                     {"name": "fallback", "examples": ["y"], "replies": ["z"]}],
         "fallback": [""]}
        """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("intent 'a' has no examples")
        .hasMessageContaining("intent 'a' appears twice")
        .hasMessageContaining("'fallback' is reserved")
        .hasMessageContaining("no fallback reply");
  }
}
