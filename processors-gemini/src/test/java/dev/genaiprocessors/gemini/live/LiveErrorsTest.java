package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.error.ModelAuthenticationException;
import dev.genaiprocessors.core.error.ModelException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A close of a Gemini Live session becomes the error a caller can act on. */
class LiveErrorsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1007 | API key not valid. Please pass a valid API key. | AUTHENTICATION",
        "1008 | The caller does not have permission | AUTHENTICATION",
        "1011 | You exceeded your current quota | RATE_LIMIT",
        "1011 | The service is currently unavailable. | SERVER",
        "1013 | try again later | SERVER",
        "1008 | models/x is not found for API version v1beta | REQUEST",
        "1007 | Request contains an invalid argument. | REQUEST",
        "1002 | '' | PROTOCOL",
        "1006 | '' | CONNECTION",
        "1000 | '' | CONNECTION",
        "1001 | going away | CONNECTION"
      })
  void aCloseHasTheKindItsReasonAndCodeSay(int code, String reason, Kind kind) {
    assertThat(LiveErrors.kindOf(code, reason)).isEqualTo(kind);
    assertThat(LiveErrors.closed(code, reason, "m", null).kind()).isEqualTo(kind);
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "4, 4", "0, 1"})
  void theErrorKeepsTheCloseAndTheAttempts(int attempts, int expected) {
    var e =
        LiveErrors.closed(
            1007, "API key not valid", "Gemini Live closed the session", null, attempts);
    assertThat(e).isInstanceOf(ModelAuthenticationException.class);
    assertThat(e.closeCode()).isEqualTo(1007);
    assertThat(e.closeReason()).isEqualTo("API key not valid");
    assertThat(e.provider()).isEqualTo("Gemini Live");
    assertThat(e.attempts()).isEqualTo(expected);
  }
}
