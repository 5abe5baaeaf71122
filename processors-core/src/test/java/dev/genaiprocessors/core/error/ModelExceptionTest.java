package dev.genaiprocessors.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.error.ModelException.Kind;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ModelExceptionTest {

  @ParameterizedTest
  @CsvSource({
    "400, REQUEST",
    "404, REQUEST",
    "422, REQUEST",
    "307, REQUEST",
    "418, REQUEST",
    "401, AUTHENTICATION",
    "403, AUTHENTICATION",
    "429, RATE_LIMIT",
    "408, CONNECTION",
    "500, SERVER",
    "503, SERVER",
    "599, SERVER",
    "200, PROTOCOL",
    "0, PROTOCOL",
    "600, PROTOCOL"
  })
  void anHttpStatusHasTheKindACallerActsOn(int status, Kind kind) {
    assertThat(Kind.ofHttpStatus(status)).isEqualTo(kind);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theBuilderMakesTheSubtypeOfTheKindAndAllAreUncheckedUnderOneRoot(Kind kind) {
    ModelException e = ModelException.builder(kind, "Test", "what went wrong").build();

    assertThat(e).isInstanceOf(RuntimeException.class).isNotInstanceOf(IOException.class);
    assertThat(e.kind()).isEqualTo(kind);
    Class<? extends ModelException> expected =
        switch (kind) {
          case CONNECTION -> ModelConnectionException.class;
          case AUTHENTICATION -> ModelAuthenticationException.class;
          case RATE_LIMIT -> ModelRateLimitException.class;
          case REQUEST -> ModelRequestException.class;
          case PROTOCOL -> ModelProtocolException.class;
          case SERVER -> ModelServerException.class;
        };
    assertThat(e).isExactlyInstanceOf(expected);
    assertThat(e.isRetryable())
        .isEqualTo(kind == Kind.CONNECTION || kind == Kind.RATE_LIMIT || kind == Kind.SERVER);
  }

  @Test
  void detailsAreKeptAndDefaultsSayNone() {
    IOException cause = new IOException("reset");
    ModelException e =
        ModelException.builder(Kind.RATE_LIMIT, "Gemini", "quota used up")
            .statusCode(429)
            .api("RESOURCE_EXHAUSTED", "Quota exceeded")
            .attempts(3)
            .partsEmitted(2)
            .retryAfter(Duration.ofSeconds(7))
            .cause(cause)
            .build();

    assertThat(e).hasMessage("quota used up").hasCause(cause);
    assertThat(e.provider()).isEqualTo("Gemini");
    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.apiStatus()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(e.apiMessage()).isEqualTo("Quota exceeded");
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.partsEmitted()).isEqualTo(2);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(e.closeCode()).isZero();
    assertThat(e.closeReason()).isEmpty();

    ModelException plain = ModelException.builder(Kind.SERVER, "OpenAI", "down").build();
    assertThat(plain.attempts()).isEqualTo(1);
    assertThat(plain.retryAfter()).isEmpty();
    assertThat(plain.apiStatus()).isEmpty();
  }

  @Test
  void aServerCausedErrorCanLeaveOutItsStackTrace() {
    assertThat(
            ModelException.builder(Kind.SERVER, "X", "m")
                .withoutStackTrace()
                .build()
                .getStackTrace())
        .isEmpty();
    assertThat(ModelException.builder(Kind.SERVER, "X", "m").build().getStackTrace()).isNotEmpty();
  }

  @Test
  void attemptsBelowOneAreRefusedSayingWhy() {
    assertThatThrownBy(() -> ModelException.builder(Kind.SERVER, "X", "m").attempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
