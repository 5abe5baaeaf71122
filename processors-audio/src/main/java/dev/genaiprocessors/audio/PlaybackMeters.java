package dev.genaiprocessors.audio;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The playback counters of an {@link AudioRateLimiter}. {@link #NONE} counts nothing and loads no
 * Micrometer class; {@link #of(MeterRegistry)} counts in a registry. Called on the limiter's worker.
 */
interface PlaybackMeters {

  /** Counts nothing. */
  PlaybackMeters NONE =
      new PlaybackMeters() {
        @Override
        public void chunkPlayed() {}

        @Override
        public void interrupted() {}

        @Override
        public void underrun() {}
      };

  /** An audio chunk was released for playback. */
  void chunkPlayed();

  /** An interruption cut audio that was queued or still playing. */
  void interrupted();

  /** The audio of an answer ran dry and the playback clock restarted. */
  void underrun();

  /** Counters registered in {@code registry}, named by the constants of {@link AudioRateLimiter}. */
  static PlaybackMeters of(MeterRegistry registry) {
    Counter played =
        Counter.builder(AudioRateLimiter.CHUNKS_PLAYED)
            .description("Audio chunks released for playback")
            .register(registry);
    Counter interruptions =
        Counter.builder(AudioRateLimiter.INTERRUPTIONS)
            .description("Interruptions that cut queued or playing audio")
            .register(registry);
    Counter underruns =
        Counter.builder(AudioRateLimiter.UNDERRUNS)
            .description("Times an answer's audio ran dry and the playback clock restarted")
            .register(registry);
    return new PlaybackMeters() {
      @Override
      public void chunkPlayed() {
        played.increment();
      }

      @Override
      public void interrupted() {
        interruptions.increment();
      }

      @Override
      public void underrun() {
        underruns.increment();
      }
    };
  }
}
