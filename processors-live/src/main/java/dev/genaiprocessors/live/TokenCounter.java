package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;

/**
 * Counts the tokens a part costs in a prompt, so that a {@link HistoryCompression} can keep a history
 * under a token budget. Implementations must be fast, must not block and must be safe to call from
 * any thread; a real tokenizer for a model family can be plugged in here: {@link TiktokenCounter} for OpenAI
 * models (an opt-in dependency). Gemini has no offline tokenizer library; use {@link #estimate()} there.
 */
@FunctionalInterface
public interface TokenCounter {

  /** Tokens per image, audio or other byte part in {@link #estimate()}: {@value}. */
  int BYTES_PART_TOKENS = 258;

  /**
   * The tokens this part costs.
   *
   * @param part a part of the history
   * @return its cost in tokens, zero or more
   */
  int count(Part part);

  /**
   * An estimate that needs no tokenizer: about 4 characters per token for text (rounded up), and for
   * function calls, function responses and JSON, 4 characters of their JSON per token; every byte
   * part (image, audio, any blob) costs a fixed {@value #BYTES_PART_TOKENS} tokens, what Gemini
   * charges for a small image. It over- or under-counts real tokenizers by tens of percent; use it as
   * a trigger, not as a bill.
   *
   * @return the estimating counter
   */
  static TokenCounter estimate() {
    return part -> {
      if (part.isText()) {
        return (part.text().length() + 3) / 4;
      }
      if (part.isBytes()) {
        return BYTES_PART_TOKENS;
      }
      return (part.content().toString().length() + 3) / 4;
    };
  }
}
