/**
 * Seeing into running pipelines: per-stage metrics with Micrometer ({@link
 * dev.genaiprocessors.core.observe.ProcessorMetrics}) and logs of the parts that pass ({@link
 * dev.genaiprocessors.core.observe.PartLog}).
 */
@NullMarked
package dev.genaiprocessors.core.observe;

import org.jspecify.annotations.NullMarked;
