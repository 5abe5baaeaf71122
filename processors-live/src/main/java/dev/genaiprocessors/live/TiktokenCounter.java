package dev.genaiprocessors.live;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.genaiprocessors.core.Part;
import java.util.Objects;

/**
 * A real tokenizer for the {@link TokenCounter} of OpenAI models: the {@code cl100k_base} and
 * {@code o200k_base} byte-pair encodings, counted by JTokkit ({@code com.knuddels:jtokkit}), a maintained
 * pure-Java port of OpenAI's tiktoken.
 *
 * <pre>{@code
 * TokenCounter tokens = TiktokenCounter.o200k();    // GPT-4o, gpt-realtime and later
 * HistoryCompression.builder()...tokenCounter(tokens)...
 * }</pre>
 *
 * <p><b>Opt-in.</b> JTokkit is an optional dependency of processors-live: add {@code com.knuddels:jtokkit}
 * (the version is in the project's parent pom) to use this class. Without it nothing changes: the default
 * counter is {@link TokenCounter#estimate()}, and this class is never loaded.
 *
 * <p><b>What it counts.</b> Text parts: the tokens of their text, special tokens such as
 * {@code <|endoftext|>} counted as ordinary text (so user text never fails). Function calls, function
 * responses and JSON: the tokens of the same text {@link TokenCounter#estimate()} reads. Byte parts
 * (images, audio): {@value TokenCounter#BYTES_PART_TOKENS} tokens each, as the estimate, because what a
 * model charges for media depends on the model, not on a text tokenizer. The few tokens a chat format adds
 * per message are not counted.
 *
 * <p><b>Gemini</b> has no tokenizer library this project can use offline: Gemini counts tokens with its
 * {@code countTokens} API (a network call), and the official google-genai SDK's {@code LocalTokenizer} is
 * experimental, text only, and part of an SDK this project keeps out of main code. Use
 * {@link TokenCounter#estimate()} for Gemini histories.
 *
 * <p><b>Cost and threads.</b> Making a counter loads the encoding's ranks from the JTokkit jar (a few
 * megabytes, tens of milliseconds): make one per application, off any event loop, and share it. Counting is
 * CPU only, never blocks, and is safe from any thread.
 */
public final class TiktokenCounter implements TokenCounter {

  private final Encoding encoding;

  private TiktokenCounter(EncodingType type) {
    this.encoding = Encodings.newLazyEncodingRegistry().getEncoding(type);
  }

  /**
   * The {@code cl100k_base} encoding: GPT-4, GPT-3.5 Turbo and OpenAI's embedding models.
   *
   * @return a counter; loads the encoding now
   */
  public static TiktokenCounter cl100k() {
    return new TiktokenCounter(EncodingType.CL100K_BASE);
  }

  /**
   * The {@code o200k_base} encoding: GPT-4o, the o-series, and the realtime models built on them.
   *
   * @return a counter; loads the encoding now
   */
  public static TiktokenCounter o200k() {
    return new TiktokenCounter(EncodingType.O200K_BASE);
  }

  /**
   * The encoding's name, such as {@code cl100k_base}.
   *
   * @return the name
   */
  public String encodingName() {
    return encoding.getName();
  }

  /**
   * The tokens of a text, special tokens counted as ordinary text.
   *
   * @param text any text
   * @return its token count
   */
  public int count(String text) {
    return encoding.countTokensOrdinary(Objects.requireNonNull(text, "text"));
  }

  @Override
  public int count(Part part) {
    if (part.isText()) {
      return count(part.text());
    }
    if (part.isBytes()) {
      return BYTES_PART_TOKENS;
    }
    return count(part.content().toString());
  }

  @Override
  public String toString() {
    return "TiktokenCounter[" + encoding.getName() + "]";
  }
}
