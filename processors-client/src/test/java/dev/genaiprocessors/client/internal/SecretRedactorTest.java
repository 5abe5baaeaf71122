package dev.genaiprocessors.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

  static final String KEY = "AIzaSyFAKE-key_0123456789abcdefghijk";
  final SecretRedactor redactor = SecretRedactor.of(KEY);

  @Test
  void theWholeKeyAndEveryFragmentOfEightOrMoreCharactersAreMasked() {
    assertThat(redactor.redact("key=" + KEY + "!")).isEqualTo("key=[redacted]!");
    assertThat(redactor.redact("Unrecognized token 'AIzaSyFAKE': was expecting"))
        .isEqualTo("Unrecognized token '[redacted]': was expecting");
    assertThat(redactor.redact("prefix " + KEY.substring(0, 30) + " end"))
        .isEqualTo("prefix [redacted] end");
    assertThat(redactor.redact("tail " + KEY.substring(20))).isEqualTo("tail [redacted]");
    assertThat(redactor.redact("mid " + KEY.substring(11, 19) + ".")).isEqualTo("mid [redacted].");
  }

  @Test
  void shortPiecesAndUnrelatedTextAreLeftAlone() {
    String text = "AIzaSyF is seven; 0123456 too; the model said hello";
    assertThat(redactor.redact(text)).isSameAs(text);
  }

  @Test
  void overlappingAndAdjacentFragmentsBecomeOneMask() {
    String twice = KEY.substring(0, 12) + KEY.substring(4, 20);
    assertThat(redactor.redact(twice)).isEqualTo("[redacted]");
  }

  @Test
  void shortAndEmptySecrets() {
    assertThat(SecretRedactor.of("abc").redact("abc abc")).isEqualTo("abc abc");
    assertThat(SecretRedactor.of("abcdef").redact("x abcdef y abcde"))
        .isEqualTo("x [redacted] y abcde");
    assertThat(SecretRedactor.none().redact(KEY)).isEqualTo(KEY);
    assertThat(ApiKey.of(KEY).redact("echo " + KEY.substring(2, 14))).isEqualTo("echo [redacted]");
    assertThat(redactor.toString()).doesNotContain(KEY.substring(0, 8));
  }

  @Property(tries = 2000, seed = "20261207")
  void noFragmentOfEightCharactersSurvivesAnyText(
      @ForAll @StringLength(max = 200) String noise,
      @ForAll @IntRange(min = 0, max = 28) int from,
      @ForAll @IntRange(min = 8, max = 36) int length) {
    int end = Math.min(KEY.length(), from + length);
    String text =
        noise.substring(0, noise.length() / 2)
            + KEY.substring(from, end)
            + noise.substring(noise.length() / 2);
    String out = redactor.redact(text);
    for (int i = 0; i + SecretRedactor.MIN_FRAGMENT <= KEY.length(); i++) {
      assertThat(out).doesNotContain(KEY.substring(i, i + SecretRedactor.MIN_FRAGMENT));
    }
  }
}
