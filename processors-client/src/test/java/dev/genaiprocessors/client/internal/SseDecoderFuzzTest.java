package dev.genaiprocessors.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.error.ModelProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Server-sent events under hostile bytes: random mixes of fields, comments, every line ending, raw
 * bytes (invalid UTF-8, NUL), oversized lines, cut anywhere. Only {@link ModelProtocolException}
 * (an event past the limit) may come out, and the events do not depend on where the network split the
 * bytes. Seeded and bounded: 2,000 tries.
 */
class SseDecoderFuzzTest {

  static final int LIMIT = 4096;
  static final String[] PIECES = {
    "data: ",
    "data:",
    "data",
    ": comment",
    "event: x",
    "id: 7",
    "retry: 1",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "{\"a\":1}",
    "[DONE]",
    "é👋",
    " ",
    ":",
    "dat",
    "a: "
  };

  @Provide
  Arbitrary<byte[]> streams() {
    return Arbitraries.randomValue(
        random -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          int pieces = random.nextInt(60);
          for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(10)) {
              case 0 -> {
                byte[] raw = new byte[random.nextInt(16)];
                random.nextBytes(raw);
                out.writeBytes(raw);
              }
              case 1 ->
                  out.writeBytes(
                      "x".repeat(random.nextInt(2 * LIMIT)).getBytes(StandardCharsets.UTF_8));
              default ->
                  out.writeBytes(
                      PIECES[random.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
            }
          }
          return out.toByteArray();
        });
  }

  /** The events, or the error's class name, decoding the stream in the given pieces. */
  static List<String> decode(byte[] stream, int[] cuts) {
    SseDecoder decoder = new SseDecoder(LIMIT);
    List<String> events = new ArrayList<>();
    try {
      int from = 0;
      for (int cut : cuts) {
        events.addAll(decoder.feed(Arrays.copyOfRange(stream, from, cut)));
        from = cut;
      }
      events.addAll(decoder.feed(Arrays.copyOfRange(stream, from, stream.length)));
      assertThat(decoder.finish()).isEmpty();
    } catch (ModelProtocolException e) {
      assertThat(e.getMessage()).contains(Integer.toString(LIMIT));
      events.add("error: " + e.getClass().getSimpleName());
    }
    return events;
  }

  @Property(tries = 2000, seed = "20261207")
  void onlyTheSizeErrorComesOutAndSplittingChangesNothing(
      @ForAll("streams") byte[] stream, @ForAll long seed) {
    Random random = new Random(seed);
    int[] cuts = random.ints(random.nextInt(8), 0, stream.length + 1).sorted().toArray();

    List<String> whole = decode(stream, new int[0]);
    List<String> split = decode(stream, cuts);
    List<String> bytes =
        decode(stream, java.util.stream.IntStream.range(1, stream.length).toArray());

    assertThat(split).isEqualTo(whole);
    assertThat(bytes).isEqualTo(whole);
    assertThat(whole).allMatch(e -> e.length() <= LIMIT);
  }
}
