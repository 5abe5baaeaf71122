package dev.genaiprocessors.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * BlockHound runs in this test JVM, and the emulator's engine is a non-blocking thread it watches: so every other
 * test here would fail on a blocking call in the emulator's protocol work.
 */
class EmulatorNeverBlocksTest {

  @Test
  void blockingOnAnEngineLikeThreadFails() {
    var engine = Schedulers.newSingle("openai-realtime-emulator", true);
    try {
      StepVerifier.create(
              Mono.fromCallable(
                      () -> {
                        Thread.sleep(1);
                        return 1;
                      })
                  .subscribeOn(engine))
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BlockingOperationError.class))
          .verify(Duration.ofSeconds(5));
    } finally {
      engine.dispose();
    }
  }
}
