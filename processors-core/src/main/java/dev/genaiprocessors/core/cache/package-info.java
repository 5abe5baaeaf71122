/**
 * Caching of part processor and processor results behind the small {@link
 * dev.genaiprocessors.core.cache.PartCache} interface, with a bounded in-memory store by default.
 */
@NullMarked
package dev.genaiprocessors.core.cache;

import org.jspecify.annotations.NullMarked;
