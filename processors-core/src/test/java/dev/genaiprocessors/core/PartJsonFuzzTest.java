package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.testing.HostileJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Part JSON under hostile input: the parts of the Python original's fixture and of the Java factories,
 * varied by {@link HostileJson} (nodes replaced by values of the wrong type or out of range, fields removed
 * or added, the text cut or corrupted). Only {@link MalformedPartException} may come out of {@link PartJson#read}, and
 * whatever it reads writes back and reads again as an equal part. Seeded and bounded: 3,000 tries.
 */
class PartJsonFuzzTest {

  private static final List<String> VALID = validParts();

  private static List<String> validParts() {
    List<String> parts = new ArrayList<>();
    try {
      for (String line :
          Files.readAllLines(
              RepoFiles.find("shared/fixtures/python-parts.jsonl"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          parts.add(PartJson.MAPPER.readTree(line).get("part").toString());
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    parts.add(PartJson.write(Part.functionError("c9", "f", "boom").withThought(true)));
    parts.add(
        PartJson.write(
            Part.audio(new byte[] {1, 2, 3, 4}, 16000).withMetadata("n", List.of(1, 2.5, "x"))));
    return parts;
  }

  @Provide
  Arbitrary<String> hostileParts() {
    return Arbitraries.randomValue(
        random -> HostileJson.mutate(VALID.get(random.nextInt(VALID.size())), random));
  }

  @Property(tries = 3000, seed = "20261207")
  void onlyMalformedPartExceptionComesOutAndWhatIsReadRoundTrips(
      @ForAll("hostileParts") String json) {
    Part part;
    try {
      part = PartJson.read(json);
    } catch (MalformedPartException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(PartJson.read(PartJson.write(part))).isEqualTo(part);
  }
}
