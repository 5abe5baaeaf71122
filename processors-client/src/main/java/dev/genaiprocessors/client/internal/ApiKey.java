package dev.genaiprocessors.client.internal;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * For internal use only. An API key that never shows itself: {@link #toString()} hides it, and
 * {@link #redact(String)} removes it, and any long fragment of it, from any text (an error message the
 * server echoed, a parser's message) before that text goes into an exception or a log line. The masking
 * rule is {@link SecretRedactor}'s.
 */
public final class ApiKey {

  /** What replaces the key in redacted text. */
  public static final String REDACTED = "[redacted]";

  private final String value;
  private final SecretRedactor redactor;

  private ApiKey(String value) {
    this.value = value;
    this.redactor = SecretRedactor.of(value);
  }

  /**
   * A key from a builder.
   *
   * @param value the key as given; sent as it is, never logged
   * @return the key
   * @throws IllegalArgumentException when blank or holding line breaks (it goes into a header)
   */
  public static ApiKey of(String value) {
    Objects.requireNonNull(value, "apiKey");
    if (value.isBlank()) {
      throw new IllegalArgumentException("the API key must not be blank");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("the API key must not hold line breaks");
    }
    return new ApiKey(value.strip());
  }

  /**
   * The first key set among the environment variables, in order.
   *
   * @param environment looks a variable up ({@code System::getenv})
   * @param variables the names of the variables to try, first match wins
   * @return the key, or null when none is set (or all are blank)
   */
  public static @Nullable ApiKey fromEnvironment(
      UnaryOperator<@Nullable String> environment, List<String> variables) {
    for (String name : variables) {
      String v = environment.apply(name);
      if (v != null && !v.isBlank()) {
        return of(v);
      }
    }
    return null;
  }

  /**
   * The key itself, for the request header only.
   *
   * @return the key as given
   */
  public String value() {
    return value;
  }

  /**
   * The text with the key, and every fragment of it {@link SecretRedactor} masks, replaced by
   * {@value #REDACTED}.
   *
   * @param text any text that may quote the key (an error body, a URL, an exception message)
   * @return the text with the key masked; the same text when it holds none of it
   */
  public String redact(String text) {
    return redactor.redact(text);
  }

  /**
   * The redactor of this key, to hand to code that must not hold the key itself.
   *
   * @return the redactor that masks this key
   */
  public SecretRedactor redactor() {
    return redactor;
  }

  /**
   * Removes the key (when there is one) from the text.
   *
   * @param key the key to remove, or null when the call has none
   * @param text any text that may quote the key
   * @return the text with the key masked; the text itself when {@code key} is null
   */
  public static String redact(@Nullable ApiKey key, String text) {
    return key == null ? text : key.redact(text);
  }

  @Override
  public String toString() {
    return "ApiKey[" + REDACTED + "]";
  }
}
