/**
 * For internal use only: the machinery every cloud model client shares (API keys, server-sent events,
 * the streamed HTTP call with its retries and time limits, secret redaction, checked JSON reading). The
 * provider modules of this project use it; it can change or be removed at any time.
 */
@NullMarked
package dev.genaiprocessors.client.internal;

import org.jspecify.annotations.NullMarked;
