/**
 * Real-time metrics of live conversations: {@link dev.genaiprocessors.live.metrics.RealTimeMetrics}
 * measures any live processor on Micrometer and makes a
 * {@link dev.genaiprocessors.live.metrics.RealTimeReport}; providers report the media their send queue
 * dropped through {@link dev.genaiprocessors.live.metrics.MediaDrops}.
 */
@NullMarked
package dev.genaiprocessors.live.metrics;

import org.jspecify.annotations.NullMarked;
