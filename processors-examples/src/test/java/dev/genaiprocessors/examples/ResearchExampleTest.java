package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.core.functions.Tool;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class ResearchExampleTest {

  @Test
  void eachCityIsResearchedWithTheToolInOrderAndTheAnswerComesLast() {
    List<Tool> tools = Tool.fromMethods(new ResearchExample.CityFacts());
    List<Part> out =
        ResearchExample.pipeline(ResearchExample.scripted(), tools)
            .apply(Flux.just(Part.text(ResearchExample.QUESTION).withRole("user")))
            .collectList()
            .block(Duration.ofSeconds(30));
    assertThat(out)
        .filteredOn(p -> p.substream().equals("finding"))
        .extracting(Part::text)
        .satisfiesExactly(
            f -> assertThat(f).startsWith("Paris"),
            f -> assertThat(f).startsWith("Berlin"),
            f -> assertThat(f).startsWith("Madrid"));
    assertThat(out)
        .filteredOn(p -> p.substream().equals(Substreams.FUNCTION_CALL) && p.isFunctionCall())
        .hasSize(3);
    Part answer = out.get(out.size() - 1);
    assertThat(answer.substream()).isEqualTo("answer");
    assertThat(answer.text()).contains("3.7 million").contains("Seine");
  }

  @Test
  void theToolSaysWhatItDoesNotKnow() {
    assertThat(new ResearchExample.CityFacts().cityFacts("Oslo")).contains("No facts about Oslo");
  }
}
