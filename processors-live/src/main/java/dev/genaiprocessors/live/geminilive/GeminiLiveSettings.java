package dev.genaiprocessors.live.geminilive;

import dev.genaiprocessors.live.geminilive.GeminiLiveProcessor.ActivityHandling;
import dev.genaiprocessors.live.geminilive.GeminiLiveProcessor.Modality;
import dev.genaiprocessors.live.geminilive.GeminiLiveProcessor.TurnCoverage;
import dev.genaiprocessors.core.Part;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ObjectNode;

/**
 * The configuration of a {@link GeminiLiveProcessor}. Mutable while its builder fills it; the processor
 * holds a {@linkplain #validated validated copy} that nothing changes afterwards.
 */
final class GeminiLiveSettings {
  URI uri = GeminiLiveProcessor.DEFAULT_URI;
  String apiKey = "";
  String model = "";
  @Nullable ModelProfile profile;
  List<Modality> responseModalities = List.of();
  @Nullable String voice;
  @Nullable String languageCode;
  @Nullable String systemInstruction;
  List<ObjectNode> declarations = new ArrayList<>();
  List<Part> initialHistory = List.of();
  @Nullable ActivityDetection activityDetection;
  @Nullable ActivityHandling activityHandling;
  @Nullable TurnCoverage turnCoverage;
  boolean inputTranscription;
  boolean outputTranscription;
  boolean compression;
  long compressionTriggerTokens;
  long compressionTargetTokens;
  boolean sessionResumption = true;
  @Nullable String resumeHandle;
  Scheduler scheduler = Schedulers.parallel();
  int sendQueueCapacity = 256;
  int receiveBufferCapacity = 256;
  int maxReconnectAttempts = 5;
  Duration reconnectBackoff = Duration.ofMillis(200);
  Duration setupTimeout = Duration.ofSeconds(30);
  Duration drainTimeout = Duration.ofSeconds(10);
  Duration keepAlive = Duration.ofSeconds(30);
  int maxFrameBytes = 16 * 1024 * 1024;

  ModelProfile profile() {
    return profile != null ? profile : ModelProfile.forModel(model);
  }

  /** True when the function of this name was declared NON_BLOCKING. */
  boolean nonBlocking(String functionName) {
    for (ObjectNode d : declarations) {
      if (functionName.equals(d.path("name").asString()) && "NON_BLOCKING".equals(d.path("behavior").asString())) {
        return true;
      }
    }
    return false;
  }

  boolean manualActivity() {
    return activityDetection != null && activityDetection.disabled();
  }

  void uri(URI value) {
    Objects.requireNonNull(value, "uri");
    String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("uri must be ws:// or wss://, was " + Wire.safe(value));
    }
    uri = value;
  }

  void apiKey(String value) {
    Objects.requireNonNull(value, "apiKey");
    if (value.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    apiKey = value;
  }

  void model(String value) {
    Objects.requireNonNull(value, "model");
    if (value.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    model = value.startsWith("models/") ? value : "models/" + value;
  }

  void profile(ModelProfile value) {
    profile = Objects.requireNonNull(value, "profile");
  }

  void responseModalities(List<Modality> value) {
    responseModalities = List.copyOf(value);
  }

  void voice(String value) {
    voice = Objects.requireNonNull(value, "voiceName");
  }

  void languageCode(String value) {
    languageCode = Objects.requireNonNull(value, "languageCode");
  }

  void systemInstruction(String value) {
    systemInstruction = Objects.requireNonNull(value, "instruction");
  }

  /** @throws IllegalArgumentException naming the function and path of a construct the API cannot express */
  void declaration(ObjectNode declaration, boolean nonBlocking) {
    Objects.requireNonNull(declaration, "declaration");
    ObjectNode d = FunctionDeclarations.of(declaration);
    if (nonBlocking) {
      d.put("behavior", "NON_BLOCKING");
    }
    declarations.add(d);
  }

  void initialHistory(List<Part> parts) {
    for (Part p : parts) {
      Objects.requireNonNull(p, "part");
      if (!p.isText() && !p.isBytes()) {
        throw new IllegalArgumentException("initial history takes text and inline data parts, not " + p.mimeType());
      }
    }
    initialHistory = List.copyOf(parts);
  }

  void activityDetection(ActivityDetection value) {
    activityDetection = Objects.requireNonNull(value, "detection");
  }

  void activityHandling(ActivityHandling value) {
    activityHandling = Objects.requireNonNull(value, "handling");
  }

  void turnCoverage(TurnCoverage value) {
    turnCoverage = Objects.requireNonNull(value, "coverage");
  }

  void compression(long trigger, long target) {
    if (trigger < 0 || target < 0) {
      throw new IllegalArgumentException("triggerTokens and targetTokens must not be negative");
    }
    compression = true;
    compressionTriggerTokens = trigger;
    compressionTargetTokens = target;
  }

  void resumeFrom(String handle) {
    Objects.requireNonNull(handle, "handle");
    if (handle.isBlank()) {
      throw new IllegalArgumentException("handle must not be blank");
    }
    resumeHandle = handle;
    sessionResumption = true;
  }

  void scheduler(Scheduler value) {
    scheduler = Objects.requireNonNull(value, "scheduler");
  }

  void reconnect(int attempts, Duration firstBackoff) {
    if (attempts < 0) {
      throw new IllegalArgumentException("maxAttempts must not be negative, was " + attempts);
    }
    Objects.requireNonNull(firstBackoff, "firstBackoff");
    if (firstBackoff.isNegative()) {
      throw new IllegalArgumentException("firstBackoff must not be negative, was " + firstBackoff);
    }
    maxReconnectAttempts = attempts;
    reconnectBackoff = firstBackoff;
  }

  void keepAlive(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("keepAlive must not be negative, was " + interval);
    }
    keepAlive = interval;
  }

  static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  GeminiLiveSettings copy() {
    GeminiLiveSettings c = new GeminiLiveSettings();
    c.uri = uri;
    c.apiKey = apiKey;
    c.model = model;
    c.profile = profile;
    c.responseModalities = responseModalities;
    c.voice = voice;
    c.languageCode = languageCode;
    c.systemInstruction = systemInstruction;
    c.initialHistory = initialHistory;
    c.declarations = new ArrayList<>();
    for (ObjectNode d : declarations) {
      c.declarations.add(d.deepCopy());
    }
    c.activityDetection = activityDetection;
    c.activityHandling = activityHandling;
    c.turnCoverage = turnCoverage;
    c.inputTranscription = inputTranscription;
    c.outputTranscription = outputTranscription;
    c.compression = compression;
    c.compressionTriggerTokens = compressionTriggerTokens;
    c.compressionTargetTokens = compressionTargetTokens;
    c.sessionResumption = sessionResumption;
    c.resumeHandle = resumeHandle;
    c.scheduler = scheduler;
    c.sendQueueCapacity = sendQueueCapacity;
    c.receiveBufferCapacity = receiveBufferCapacity;
    c.maxReconnectAttempts = maxReconnectAttempts;
    c.reconnectBackoff = reconnectBackoff;
    c.setupTimeout = setupTimeout;
    c.drainTimeout = drainTimeout;
    c.keepAlive = keepAlive;
    c.maxFrameBytes = maxFrameBytes;
    return c;
  }

  /** A copy to build from, with the key taken from the environment when none was set. */
  GeminiLiveSettings validated(Function<String, @Nullable String> environment) {
    if (model.isEmpty()) {
      throw new IllegalStateException("no model: call model(\"gemini-live-2.5-flash-preview\") or another Live model");
    }
    GeminiLiveSettings c = copy();
    if (c.apiKey.isEmpty()) {
      // GOOGLE_API_KEY wins when both are set, as in the official SDKs.
      for (String name : List.of("GOOGLE_API_KEY", "GEMINI_API_KEY")) {
        String value = environment.apply(name);
        if (value != null && !value.isBlank()) {
          c.apiKey = value.trim();
          break;
        }
      }
    }
    if (c.apiKey.isEmpty()) {
      throw new IllegalStateException("no API key: call apiKey(...) or set GEMINI_API_KEY or GOOGLE_API_KEY");
    }
    c.declarations = List.copyOf(c.declarations);
    return c;
  }
}
