package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Proves that this module's test JVM runs with BlockHound, so the network tests would catch a blocking call. */
class BlockHoundInstalledTest {

  @Test
  void blockingOnAParallelThreadFails() {
    StepVerifier.create(
            Mono.delay(Duration.ofMillis(1))
                .doOnNext(
                    x -> {
                      try {
                        Thread.sleep(1);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BlockingOperationError.class))
        .verify(Duration.ofSeconds(5));
  }
}
