package dev.genaiprocessors.live.metrics;

import java.util.Objects;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Where a live provider reports the realtime media (audio or video messages) its bounded send queue
 * dropped, for the one conversation that dropped them. The provider reads the reporter from the Reactor
 * context of the subscription to its output ({@link #in(ContextView)}), so nothing about metrics
 * enters its builder; {@link RealTimeMetrics} puts one there ({@link #into(Context, MediaDrops)}).
 *
 * <pre>{@code
 * // in a provider, where its send queue drops the oldest audio:
 * MediaDrops.in(sink.contextView()).dropped(1);
 * }</pre>
 *
 * <p><b>Threading.</b> {@link #dropped(long)} is called on the provider's session thread, one call at a
 * time per conversation; implementations are fast, never block and never throw. With no reporter in the
 * context, {@link #NONE} is used: it does nothing and allocates nothing.
 */
@FunctionalInterface
public interface MediaDrops {

  /** Reports nothing. */
  MediaDrops NONE = count -> {};

  /**
   * Media messages were dropped from the send queue.
   *
   * @param count how many, at least 1
   */
  void dropped(long count);

  /**
   * The reporter a subscriber put in its context, or {@link #NONE}.
   *
   * @param context the context of the subscription to the provider's output
   * @return the reporter; never null
   */
  static MediaDrops in(ContextView context) {
    Object found = context.<Object>getOrDefault(MediaDrops.class, NONE);
    return found instanceof MediaDrops drops ? drops : NONE;
  }

  /**
   * {@code context} with {@code drops} as the reporter, for {@code flux.contextWrite(...)}.
   *
   * @param context the context to add to
   * @param drops the reporter
   * @return the new context
   */
  static Context into(Context context, MediaDrops drops) {
    Objects.requireNonNull(drops, "drops");
    return context.put(MediaDrops.class, drops);
  }
}
