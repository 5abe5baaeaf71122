package dev.genaiprocessors.client;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The common knobs of text generation, typed and validated, shared by the model clients. Each client
 * maps them to its provider's names (Gemini {@code generationConfig.maxOutputTokens}, OpenAI
 * {@code max_tokens}); anything else goes through the raw JSON escape hatch of the client's builder.
 *
 * <pre>{@code
 * GenerationConfig config = GenerationConfig.builder().temperature(0.2).maxOutputTokens(512).build();
 * }</pre>
 *
 * <p>Every value is optional: an unset value is not sent and the provider's default applies.
 * Immutable and thread-safe.
 */
public final class GenerationConfig {

  private static final GenerationConfig EMPTY = new Builder().build();

  private final @Nullable Double temperature;
  private final @Nullable Double topP;
  private final @Nullable Integer topK;
  private final @Nullable Integer maxOutputTokens;
  private final List<String> stopSequences;
  private final @Nullable Long seed;
  private final @Nullable String responseMimeType;
  private final @Nullable JsonNode responseSchema;

  private GenerationConfig(Builder b) {
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.topK = b.topK;
    this.maxOutputTokens = b.maxOutputTokens;
    this.stopSequences = b.stopSequences;
    this.seed = b.seed;
    this.responseMimeType = b.responseMimeType;
    this.responseSchema = b.responseSchema;
  }

  /**
   * A configuration that sets nothing: the provider's defaults.
   *
   * @return the configuration with no field set
   */
  public static GenerationConfig defaults() {
    return EMPTY;
  }

  /**
   * A builder with nothing set.
   *
   * @return a new builder with no field set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration's values.
   *
   * @return a new builder with this configuration's values, to build a changed copy
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.temperature = temperature;
    b.topP = topP;
    b.topK = topK;
    b.maxOutputTokens = maxOutputTokens;
    b.stopSequences = stopSequences;
    b.seed = seed;
    b.responseMimeType = responseMimeType;
    b.responseSchema = responseSchema;
    return b;
  }

  /**
   * Sampling temperature, or null when unset.
   *
   * @return the temperature in [0, 2], or null when unset
   */
  public @Nullable Double temperature() {
    return temperature;
  }

  /**
   * Nucleus sampling mass, or null when unset.
   *
   * @return the probability mass in (0, 1], or null when unset
   */
  public @Nullable Double topP() {
    return topP;
  }

  /**
   * Top-k sampling, or null when unset.
   *
   * @return k, positive, or null when unset
   */
  public @Nullable Integer topK() {
    return topK;
  }

  /**
   * The most tokens to generate, or null when unset.
   *
   * @return the token limit, positive, or null when unset
   */
  public @Nullable Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /**
   * Sequences that stop generation; empty when unset.
   *
   * @return the stop sequences in the order given, none of them empty; an unmodifiable list
   */
  public List<String> stopSequences() {
    return stopSequences;
  }

  /**
   * Sampling seed, or null when unset.
   *
   * @return the seed, or null when unset
   */
  public @Nullable Long seed() {
    return seed;
  }

  /**
   * The MIME type of the answer ({@code application/json} for JSON mode), or null when unset.
   *
   * @return the MIME type, or null when unset
   */
  public @Nullable String responseMimeType() {
    return responseMimeType;
  }

  /**
   * A copy of the JSON schema the answer must follow, or null when unset.
   *
   * @return a copy of the schema (a JSON object), or null when unset
   */
  public @Nullable JsonNode responseSchema() {
    return responseSchema == null ? null : responseSchema.deepCopy();
  }

  @Override
  public String toString() {
    return "GenerationConfig[temperature="
        + temperature
        + ", topP="
        + topP
        + ", topK="
        + topK
        + ", maxOutputTokens="
        + maxOutputTokens
        + ", stopSequences="
        + stopSequences
        + ", seed="
        + seed
        + ", responseMimeType="
        + responseMimeType
        + ", responseSchema="
        + (responseSchema != null)
        + "]";
  }

  /** Builds a {@link GenerationConfig}; each setter validates its value at once. */
  public static final class Builder {
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer topK;
    private @Nullable Integer maxOutputTokens;
    private List<String> stopSequences = List.of();
    private @Nullable Long seed;
    private @Nullable String responseMimeType;
    private @Nullable JsonNode responseSchema;

    private Builder() {}

    /**
     * Sampling temperature, from 0 (near deterministic) to 2; unset by default.
     *
     * @param temperature the temperature, in [0, 2]
     * @return this builder
     * @throws IllegalArgumentException outside [0, 2]
     */
    public Builder temperature(double temperature) {
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be in [0, 2], was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /**
     * Nucleus sampling: sample from the tokens holding this much probability mass; unset by default.
     *
     * @param topP the probability mass, in (0, 1]
     * @return this builder
     * @throws IllegalArgumentException outside (0, 1]
     */
    public Builder topP(double topP) {
      if (!(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
      }
      this.topP = topP;
      return this;
    }

    /**
     * Sample from the k most likely tokens; unset by default. OpenAI itself rejects it (local
     * OpenAI-compatible servers accept it as {@code top_k}).
     *
     * @param topK how many of the most likely tokens to sample from; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder topK(int topK) {
      if (topK <= 0) {
        throw new IllegalArgumentException("topK must be positive, was " + topK);
      }
      this.topK = topK;
      return this;
    }

    /**
     * The most tokens to generate; unset by default (the provider's limit applies).
     *
     * @param maxOutputTokens the token limit of one answer; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxOutputTokens(int maxOutputTokens) {
      if (maxOutputTokens <= 0) {
        throw new IllegalArgumentException(
            "maxOutputTokens must be positive, was " + maxOutputTokens);
      }
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /**
     * Sequences that stop generation; none by default.
     *
     * @param stopSequences the sequences, in order; none of them null or empty; an empty list sets none
     * @return this builder
     * @throws IllegalArgumentException when one is empty
     */
    public Builder stopSequences(List<String> stopSequences) {
      for (String s : Objects.requireNonNull(stopSequences, "stopSequences")) {
        if (Objects.requireNonNull(s, "stop sequence").isEmpty()) {
          throw new IllegalArgumentException("stop sequences must not be empty");
        }
      }
      this.stopSequences = List.copyOf(stopSequences);
      return this;
    }

    /**
     * A sampling seed, for repeatable answers where the provider supports it; unset by default.
     *
     * @param seed the seed; any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The MIME type of the answer: {@code text/plain} or {@code application/json} (JSON mode); unset by
     * default.
     *
     * @param responseMimeType a MIME type such as {@code application/json}
     * @return this builder
     * @throws IllegalArgumentException when it has no {@code /}
     */
    public Builder responseMimeType(String responseMimeType) {
      Objects.requireNonNull(responseMimeType, "responseMimeType");
      if (responseMimeType.indexOf('/') <= 0) {
        throw new IllegalArgumentException(
            "responseMimeType must be a MIME type such as 'application/json', was '"
                + responseMimeType
                + "'");
      }
      this.responseMimeType = responseMimeType;
      return this;
    }

    /**
     * A JSON schema the answer must follow (structured output); implies JSON. Unset by default.
     *
     * @param responseSchema the schema, a JSON object; copied, so later changes to it are not seen
     * @return this builder
     * @throws IllegalArgumentException when it is not a JSON object
     */
    public Builder responseSchema(JsonNode responseSchema) {
      Objects.requireNonNull(responseSchema, "responseSchema");
      if (!responseSchema.isObject()) {
        throw new IllegalArgumentException(
            "responseSchema must be a JSON object, was " + responseSchema.getNodeType());
      }
      this.responseSchema = responseSchema.deepCopy();
      return this;
    }

    /**
     * The configuration.
     *
     * @return a new immutable configuration with this builder's values
     */
    public GenerationConfig build() {
      return new GenerationConfig(this);
    }
  }
}
