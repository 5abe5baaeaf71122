package dev.genaiprocessors.server;

import java.time.Duration;

/**
 * What one conversation did, reported when its connection closed: the server logs it at INFO and gives
 * it to the {@link VoiceServer.Builder#onConversationEnd listener}. Frames are WebSocket data frames
 * (one JSON message each on a phone's Media Streams); the audio counts mean the same for every codec.
 *
 * @param id the conversation's id
 * @param path the path it connected to
 * @param principal who the client was
 * @param duration how long the connection was open
 * @param closeCode the close code the server sent (or 1000 / 1006 as the client closed)
 * @param reason why it ended, in words
 * @param framesIn frames received from the client
 * @param framesOut frames sent to the client
 * @param audioBytesIn PCM bytes received: the 16-bit PCM of the audio parts the codec handed to the
 *     pipeline, at the pipeline's input rate, whatever the wire carried (a browser's binary frames; a
 *     phone's μ-law at 8 kHz, counted after decoding and resampling); parts the inbound buffer later
 *     dropped are counted here too (and in {@code audioPartsDropped})
 * @param audioBytesOut PCM bytes sent: the bytes of the pipeline's audio parts that the codec encoded
 *     into frames for the client, at the pipeline's output rate, whatever the wire carries (raw PCM
 *     for a browser; μ-law at 8 kHz for a phone); audio the codec sends nothing for (a browser cannot
 *     play it, a phone stream has not started) is not counted
 * @param audioPartsDropped inbound audio parts dropped because the pipeline fell behind
 * @param interruptions {@code interrupted} parts sent to the client (as the browser's {@code
 *     interrupted} message or a phone's {@code clear}; one the codec sends nothing for is not counted)
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
