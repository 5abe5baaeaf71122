package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.ActivityHandling;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.MediaResolution;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.Modality;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.ThinkingLevel;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.TurnCoverage;
import dev.genaiprocessors.live.HeardAudio;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  @Nullable Double temperature;
  @Nullable Double topP;
  @Nullable Integer topK;
  @Nullable Integer maxOutputTokens;
  @Nullable Integer seed;
  @Nullable MediaResolution mediaResolution;
  @Nullable Integer thinkingBudget;
  @Nullable ThinkingLevel thinkingLevel;
  boolean includeThoughts;
  boolean affectiveDialog;
  boolean proactiveAudio;
  List<SafetySetting> safetySettings = new ArrayList<>();
  Set<BuiltInTool> builtInTools = EnumSet.noneOf(BuiltInTool.class);
  @Nullable ApiVersion apiVersion;
  int connectAttempts = 3;
  Duration connectBaseDelay = Duration.ofMillis(500);
  Duration connectMaxDelay = Duration.ofSeconds(5);
  @Nullable Processor outOfBandModel;
  @Nullable HeardAudio playback;

  ModelProfile profile() {
    return profile != null ? profile : ModelProfile.forModel(model);
  }

  /** True when the function of this name was declared NON_BLOCKING. */
  boolean nonBlocking(String functionName) {
    for (ObjectNode d : declarations) {
      if (functionName.equals(d.path("name").asString())
          && "NON_BLOCKING".equals(d.path("behavior").asString())) {
        return true;
      }
    }
    return false;
  }

  /** The redactor of the key (masks it and any fragment of 8 or more of its characters). */
  dev.genaiprocessors.client.internal.SecretRedactor redactor() {
    dev.genaiprocessors.client.internal.SecretRedactor r = redactor;
    if (r == null || !apiKey.equals(redactorKey)) {
      r = dev.genaiprocessors.client.internal.SecretRedactor.of(apiKey);
      redactorKey = apiKey;
      redactor = r;
    }
    return r;
  }

  /** Cache of {@link #redactor()}; racy but idempotent. */
  private volatile dev.genaiprocessors.client.internal.@Nullable SecretRedactor redactor;

  private volatile @Nullable String redactorKey;

  /** True when the key is an ephemeral token ({@code auth_tokens/...}). */
  boolean ephemeralToken() {
    return apiKey.startsWith("auth_tokens/");
  }

  /**
   * The URI with the version segment and the method of a Gemini Live path replaced: the version when one is
   * set, the method {@code BidiGenerateContentConstrained} for an ephemeral token. Other paths are kept.
   */
  static URI socketUri(URI uri, @Nullable ApiVersion version, boolean token) {
    String path = uri.getRawPath();
    Matcher m = LIVE_PATH.matcher(path == null ? "" : path);
    if (!m.matches()) {
      return uri;
    }
    String newPath =
        m.group(1)
            + (version == null ? m.group(2) : version.segment())
            + ".GenerativeService."
            + (token ? "BidiGenerateContentConstrained" : m.group(3));
    return URI.create(
        uri.getScheme()
            + "://"
            + uri.getRawAuthority()
            + newPath
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
  }

  private static final Pattern LIVE_PATH =
      Pattern.compile(
          "(.*google\\.ai\\.generativelanguage\\.)(v1|v1beta|v1alpha)\\.GenerativeService\\."
              + "(BidiGenerateContent|BidiGenerateContentConstrained)");

  static double range(double value, double min, double max, String name) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  void connectRetry(int attempts, Duration baseDelay, Duration maxDelay) {
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
    }
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= baseDelay <= maxDelay, was " + baseDelay + " and " + maxDelay);
    }
    connectAttempts = attempts;
    connectBaseDelay = baseDelay;
    connectMaxDelay = maxDelay;
  }

  /** True when the function of this name was declared, and not NON_BLOCKING. */
  boolean declaredBlocking(String functionName) {
    for (ObjectNode d : declarations) {
      if (functionName.equals(d.path("name").asString())) {
        return !"NON_BLOCKING".equals(d.path("behavior").asString());
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
    String name = d.path("name").asString();
    for (ObjectNode other : declarations) {
      if (name.equals(other.path("name").asString())) {
        throw new IllegalArgumentException(
            "function "
                + name
                + " is declared twice (once is enough; tools run in"
                + " the background are declared by withBackgroundTools alone)");
      }
    }
    if (nonBlocking) {
      d.put("behavior", "NON_BLOCKING");
    }
    declarations.add(d);
  }

  void initialHistory(List<Part> parts) {
    for (Part p : parts) {
      Objects.requireNonNull(p, "part");
      if (!p.isText() && !p.isBytes()) {
        throw new IllegalArgumentException(
            "initial history takes text and inline data parts, not " + p.mimeType());
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
    c.outOfBandModel = outOfBandModel;
    c.playback = playback;
    c.sendQueueCapacity = sendQueueCapacity;
    c.receiveBufferCapacity = receiveBufferCapacity;
    c.maxReconnectAttempts = maxReconnectAttempts;
    c.reconnectBackoff = reconnectBackoff;
    c.setupTimeout = setupTimeout;
    c.drainTimeout = drainTimeout;
    c.keepAlive = keepAlive;
    c.maxFrameBytes = maxFrameBytes;
    c.temperature = temperature;
    c.topP = topP;
    c.topK = topK;
    c.maxOutputTokens = maxOutputTokens;
    c.seed = seed;
    c.mediaResolution = mediaResolution;
    c.thinkingBudget = thinkingBudget;
    c.thinkingLevel = thinkingLevel;
    c.includeThoughts = includeThoughts;
    c.affectiveDialog = affectiveDialog;
    c.proactiveAudio = proactiveAudio;
    c.safetySettings = new ArrayList<>(safetySettings);
    c.builtInTools =
        builtInTools.isEmpty() ? EnumSet.noneOf(BuiltInTool.class) : EnumSet.copyOf(builtInTools);
    c.apiVersion = apiVersion;
    c.connectAttempts = connectAttempts;
    c.connectBaseDelay = connectBaseDelay;
    c.connectMaxDelay = connectMaxDelay;
    return c;
  }

  /** A copy to build from, with the key taken from the environment when none was set. */
  GeminiLiveSettings validated(Function<String, @Nullable String> environment) {
    if (model.isEmpty()) {
      throw new IllegalStateException(
          "no model: call model(\"gemini-live-2.5-flash-preview\") or another Live model");
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
      throw new IllegalStateException(
          "no API key: call apiKey(...) or set GEMINI_API_KEY or GOOGLE_API_KEY");
    }
    c.declarations = List.copyOf(c.declarations);
    c.safetySettings = List.copyOf(c.safetySettings);
    if (c.profile() == ModelProfile.GEMINI_3_1 && (c.affectiveDialog || c.proactiveAudio)) {
      throw new IllegalStateException(
          c.model
              + " (profile GEMINI_3_1) never answers a setup with "
              + (c.affectiveDialog ? "enableAffectiveDialog" : "proactivity")
              + ": leave it off, or use a 2.5 native-audio model");
    }
    c.uri = socketUri(c.uri, c.apiVersion, c.ephemeralToken());
    return c;
  }
}
