package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class StreamTrackingTest {

  private static Flux<Part> everySecond(Part... parts) {
    return Flux.fromArray(parts).delayElements(Duration.ofSeconds(1));
  }

  @Test
  void everyPartCarriesItsStreamItsIndexAndTheStreamsCountAndDurationSoFar() {
    StepVerifier.withVirtualTime(
            () ->
                everySecond(
                        Part.text("a0"),
                        Part.text("b0").withSubstream("camera"),
                        Part.text("a1"),
                        Part.text("b1").withSubstream("camera"),
                        Part.text("a2"))
                    .transform(
                        StreamTracking.builder()
                            .streamId(p -> p.substream().isEmpty() ? "main" : p.substream())
                            .build()))
        .thenAwait(Duration.ofSeconds(5))
        .assertNext(p -> assertTagged(p, "main", 0, 1, 0))
        .assertNext(p -> assertTagged(p, "camera", 0, 1, 0))
        .assertNext(p -> assertTagged(p, "main", 1, 2, 2000))
        .assertNext(p -> assertTagged(p, "camera", 1, 2, 2000))
        .assertNext(p -> assertTagged(p, "main", 2, 3, 4000))
        .verifyComplete();
  }

  private static void assertTagged(Part p, String id, long index, long count, long durationMs) {
    assertThat(p.metadata(StreamTracking.STREAM_ID)).isEqualTo(id);
    assertThat(p.metadata(StreamTracking.STREAM_INDEX)).isEqualTo(index);
    assertThat(p.metadata(StreamTracking.STREAM_PART_COUNT)).isEqualTo(count);
    assertThat(p.metadata(StreamTracking.STREAM_DURATION_MS)).isEqualTo(durationMs);
  }

  @Test
  void summariesGiveEachStreamsTotalsWhenTheInputEndsInTheOrderTheStreamsBegan() {
    StepVerifier.withVirtualTime(
            () ->
                everySecond(Part.text("x"), Part.text("y"), Part.text("z"))
                    .transform(
                        StreamTracking.builder()
                            .streamId(p -> p.text().equals("y") ? "late" : "early")
                            .summaries(true)
                            .build()))
        .thenAwait(Duration.ofSeconds(3))
        .expectNextCount(3)
        .assertNext(
            p -> {
              assertThat(p.isStatus()).isTrue();
              assertThat(p.metadata(StreamTracking.STREAM_SUMMARY))
                  .isEqualTo(Map.of("stream_id", "early", "parts", 2L, "duration_ms", 2000L));
            })
        .assertNext(
            p ->
                assertThat(p.metadata(StreamTracking.STREAM_SUMMARY))
                    .isEqualTo(Map.of("stream_id", "late", "parts", 1L, "duration_ms", 0L)))
        .verifyComplete();
  }

  @Test
  void pastTheBoundTheLeastRecentlySeenStreamIsForgottenWithItsSummaryAndRestartsIfItComesBack() {
    List<Part> out =
        Flux.just(Part.text("a"), Part.text("b"), Part.text("a"))
            .transform(
                StreamTracking.builder().streamId(Part::text).maxStreams(1).summaries(true).build())
            .collectList()
            .block(Duration.ofSeconds(5));
    assertThat(out)
        .extracting(
            p ->
                p.isStatus()
                    ? "summary "
                        + ((Map<?, ?>) p.metadata(StreamTracking.STREAM_SUMMARY)).get("stream_id")
                    : p.text() + "#" + p.metadata(StreamTracking.STREAM_INDEX))
        .containsExactly("a#0", "summary a", "b#0", "summary b", "a#0", "summary a");
  }

  @Test
  void withoutSummariesPartsPassOneForOneAndAnErrorPassesAtOnce() {
    IllegalStateException boom = new IllegalStateException("mic failed");
    StepVerifier.create(
            Flux.just(Part.text("a"))
                .concatWith(Flux.error(boom))
                .transform(StreamTracking.builder().streamId("call-7").build()))
        .assertNext(p -> assertThat(p.metadata(StreamTracking.STREAM_ID)).isEqualTo("call-7"))
        .verifyErrorSatisfies(e -> assertThat(e).isSameAs(boom));
    assertThatThrownBy(() -> StreamTracking.builder().maxStreams(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
