package dev.genaiprocessors.server;

import java.time.Duration;

/**
 * What one conversation did, reported when its connection closed: the server logs it at INFO and gives
 * it to the {@link VoiceServer.Builder#onConversationEnd listener}.
 *
 * @param id the conversation's id
 * @param path the path it connected to
 * @param principal who the client was
 * @param duration how long the connection was open
 * @param closeCode the close code the server sent (or 1000 / 1006 as the client closed)
 * @param reason why it ended, in words
 * @param framesIn frames received from the client
 * @param framesOut frames sent to the client
 * @param audioBytesIn PCM bytes received
 * @param audioBytesOut PCM bytes sent
 * @param audioPartsDropped inbound audio parts dropped because the pipeline fell behind
 * @param interruptions {@code interrupted} parts sent to the client
 */
public record ConversationReport(
    String id,
    String path,
    String principal,
    Duration duration,
    int closeCode,
    String reason,
    long framesIn,
    long framesOut,
    long audioBytesIn,
    long audioBytesOut,
    long audioPartsDropped,
    long interruptions) {}
