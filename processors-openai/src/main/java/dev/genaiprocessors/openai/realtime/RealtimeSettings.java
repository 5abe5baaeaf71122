package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.ApiKey;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.live.HeardAudio;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What an {@link OpenAiRealtimeProcessor} was built with: the connection, the bounds, and the session fields
 * sent in {@code session.update}. Mutable while its builder runs, then only read; {@link #copy()} for a
 * variant. A null session field is not sent (the server's default applies).
 */
final class RealtimeSettings {
  static final String PROVIDER = "OpenAI Realtime";

  URI uri = OpenAiRealtimeProcessor.DEFAULT_URI;
  String model = "gpt-realtime";
  @Nullable ApiKey apiKey;
  Scheduler scheduler = Schedulers.parallel();
  int sendQueueCapacity = 256;
  Duration keepAlive = Duration.ofSeconds(30);
  int maxFrameBytes = 16 * 1024 * 1024;
  Duration drainTimeout = Duration.ofSeconds(10);
  @Nullable HeardAudio playback;
  int maxContinuations;
  int continuationHistoryItems = 50;

  // session.update fields
  @Nullable String instructions;
  @Nullable String voice;
  @Nullable Double speed;
  @Nullable String outputModality;
  RealtimeAudioFormat inputFormat = RealtimeAudioFormat.PCM_24KHZ;
  RealtimeAudioFormat outputFormat = RealtimeAudioFormat.PCM_24KHZ;
  boolean formatsSet;
  @Nullable String transcriptionModel;
  @Nullable String transcriptionLanguage;
  @Nullable String transcriptionPrompt;
  @Nullable String noiseReduction;
  @Nullable TurnDetection turnDetection;
  List<Tool> tools = new ArrayList<>();
  @Nullable String toolChoice;
  @Nullable Integer maxOutputTokens;
  boolean maxOutputTokensInf;
  @Nullable String truncation;
  @Nullable Double truncationRetentionRatio;
  @Nullable Integer truncationPostInstructionsTokens;
  boolean tracingAuto;
  @Nullable String tracingWorkflowName;
  @Nullable String tracingGroupId;
  @Nullable Map<String, String> tracingMetadata;

  /** True when the application commits turns itself ({@link TurnDetection#none()}). */
  boolean manualTurns() {
    return turnDetection instanceof TurnDetection.None;
  }

  RealtimeSettings copy() {
    RealtimeSettings c = new RealtimeSettings();
    c.uri = uri;
    c.model = model;
    c.apiKey = apiKey;
    c.scheduler = scheduler;
    c.sendQueueCapacity = sendQueueCapacity;
    c.keepAlive = keepAlive;
    c.maxFrameBytes = maxFrameBytes;
    c.drainTimeout = drainTimeout;
    c.playback = playback;
    c.maxContinuations = maxContinuations;
    c.continuationHistoryItems = continuationHistoryItems;
    c.instructions = instructions;
    c.voice = voice;
    c.speed = speed;
    c.outputModality = outputModality;
    c.inputFormat = inputFormat;
    c.outputFormat = outputFormat;
    c.formatsSet = formatsSet;
    c.transcriptionModel = transcriptionModel;
    c.transcriptionLanguage = transcriptionLanguage;
    c.transcriptionPrompt = transcriptionPrompt;
    c.noiseReduction = noiseReduction;
    c.turnDetection = turnDetection;
    c.tools = new ArrayList<>(tools);
    c.toolChoice = toolChoice;
    c.maxOutputTokens = maxOutputTokens;
    c.maxOutputTokensInf = maxOutputTokensInf;
    c.truncation = truncation;
    c.truncationRetentionRatio = truncationRetentionRatio;
    c.truncationPostInstructionsTokens = truncationPostInstructionsTokens;
    c.tracingAuto = tracingAuto;
    c.tracingWorkflowName = tracingWorkflowName;
    c.tracingGroupId = tracingGroupId;
    c.tracingMetadata = tracingMetadata;
    return c;
  }
}
