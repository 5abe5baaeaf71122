package dev.genaiprocessors.openai.realtime;

/**
 * The audio formats of the OpenAI Realtime API ({@code audio.input.format} and {@code audio.output.format}).
 * Whatever the format, the processor takes and emits 16-bit PCM parts: it encodes and decodes G.711 itself
 * (with {@link dev.genaiprocessors.audio.G711}).
 */
public enum RealtimeAudioFormat {
  /** 16-bit little-endian mono PCM at 24 kHz, {@code {"type": "audio/pcm", "rate": 24000}}; the default. */
  PCM_24KHZ("audio/pcm", 24_000),
  /** G.711 μ-law at 8 kHz, {@code {"type": "audio/pcmu"}}; PCM parts at 8 kHz in and out. */
  G711_ULAW("audio/pcmu", 8_000),
  /** G.711 A-law at 8 kHz, {@code {"type": "audio/pcma"}}; PCM parts at 8 kHz in and out. */
  G711_ALAW("audio/pcma", 8_000);

  private final String wireType;
  private final int sampleRate;

  RealtimeAudioFormat(String wireType, int sampleRate) {
    this.wireType = wireType;
    this.sampleRate = sampleRate;
  }

  /**
   * The {@code type} of the format on the wire.
   *
   * @return for example {@code audio/pcmu}
   */
  public String wireType() {
    return wireType;
  }

  /**
   * The sample rate of the PCM parts the processor takes and emits in this format.
   *
   * @return samples per second
   */
  public int sampleRate() {
    return sampleRate;
  }
}
