package dev.genaiprocessors.client.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * For internal use only (kept ready to become public API). The one redactor between a client's error
 * messages and log lines and the outside world: it masks a secret, and any long fragment of it, in
 * text that came from anywhere (a server's echo, a parser's message, a close reason).
 *
 * <p><b>The rule.</b> Every run of characters of the text that equals a substring of the secret at
 * least {@value #MIN_FRAGMENT} characters long is replaced by {@value ApiKey#REDACTED}; overlapping and
 * adjacent runs become one mask. A secret shorter than {@value #MIN_FRAGMENT} characters is masked only
 * whole, and one shorter than {@value #MIN_SECRET} characters is not searched for at all (it would mask
 * ordinary words). So a prefix cut where a parser stopped at a dash ({@code AIzaSyA-...} echoed as
 * {@code 'AIzaSyA'}), a suffix, or a piece from the middle are all masked, while the short pieces a
 * random key shares with ordinary text are left alone. Matching is exact (case-sensitive) on the text
 * as given: a key is plain ASCII letters, digits, {@code -} and {@code _}, which no JSON or URL encoding
 * changes.
 *
 * <p><b>Cost.</b> Linear in the text for a random key: the secret's {@value #MIN_FRAGMENT}-character
 * windows are indexed once, and each position of the text is looked up once.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the secret.
 */
public final class SecretRedactor {

  /** The shortest fragment of a secret that is masked: {@value}. */
  public static final int MIN_FRAGMENT = 8;

  /** Secrets shorter than this are not searched for: {@value}. */
  public static final int MIN_SECRET = 4;

  private static final SecretRedactor NONE = new SecretRedactor("");

  private final String secret;

  /** Where each {@link #MIN_FRAGMENT}-character window starts in the secret. */
  private final Map<String, int[]> windows;

  private SecretRedactor(String secret) {
    this.secret = secret;
    this.windows = new HashMap<>();
    if (secret.length() >= MIN_FRAGMENT) {
      Map<String, List<Integer>> starts = new HashMap<>();
      for (int i = 0; i + MIN_FRAGMENT <= secret.length(); i++) {
        starts
            .computeIfAbsent(secret.substring(i, i + MIN_FRAGMENT), k -> new ArrayList<>())
            .add(i);
      }
      starts.forEach(
          (window, at) -> windows.put(window, at.stream().mapToInt(Integer::intValue).toArray()));
    }
  }

  /**
   * A redactor for one secret.
   *
   * @param secret the secret; an empty one masks nothing
   * @return the redactor
   */
  public static SecretRedactor of(String secret) {
    Objects.requireNonNull(secret, "secret");
    return secret.length() < MIN_SECRET ? NONE : new SecretRedactor(secret);
  }

  /**
   * A redactor that masks nothing, for a client without a secret.
   *
   * @return the redactor
   */
  public static SecretRedactor none() {
    return NONE;
  }

  /**
   * The text with the secret and every fragment of it of at least {@value #MIN_FRAGMENT} characters
   * replaced by {@value ApiKey#REDACTED}.
   *
   * @param text any text, such as an error message or a log argument
   * @return the text, or the same instance when nothing was masked
   */
  public String redact(String text) {
    Objects.requireNonNull(text, "text");
    if (secret.isEmpty() || text.length() < Math.min(secret.length(), MIN_FRAGMENT)) {
      return text;
    }
    if (secret.length() < MIN_FRAGMENT) {
      return text.replace(secret, ApiKey.REDACTED);
    }
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i + MIN_FRAGMENT <= text.length()) {
      int end = longestMatchEnd(text, i);
      if (end < 0) {
        i++;
        continue;
      }
      // Extend over overlapping or adjacent matches, so one mask covers them all.
      int next = i + 1;
      while (next < end + 1 && next + MIN_FRAGMENT <= text.length()) {
        int further = longestMatchEnd(text, next);
        if (further > end) {
          end = further;
        }
        next++;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, i).append(ApiKey.REDACTED);
      copied = end;
      i = end;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** The end of the longest fragment of the secret that starts at {@code at} in the text, or -1. */
  private int longestMatchEnd(String text, int at) {
    int[] starts = windows.get(text.substring(at, at + MIN_FRAGMENT));
    if (starts == null) {
      return -1;
    }
    int best = -1;
    for (int s : starts) {
      int length = MIN_FRAGMENT;
      while (s + length < secret.length()
          && at + length < text.length()
          && secret.charAt(s + length) == text.charAt(at + length)) {
        length++;
      }
      best = Math.max(best, at + length);
    }
    return best;
  }

  @Override
  public String toString() {
    return "SecretRedactor[" + (secret.isEmpty() ? "none" : ApiKey.REDACTED) + "]";
  }
}
