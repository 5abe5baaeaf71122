package dev.genaiprocessors.audio.vad;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime as this project's local engines use it: the one place that creates the process-wide
 * {@link OrtEnvironment} and opens model sessions, for the Silero VAD ({@link SileroSpeechDetector}) and
 * for the offline responder's MiniLM model (processors-offline). It makes sure the ONNX Runtime on the
 * class path sends nothing anywhere and writes nothing to the home directory.
 *
 * <p><b>Why it exists.</b> ONNX Runtime 1.29.0 added usage telemetry to its Linux and macOS builds, on by
 * default: when the environment is created it keeps a device ID and a database of events under {@code
 * ~/.cache/Microsoft/DeveloperTools/.onnxruntime}, and uploads them to {@code
 * mobile.events.data.microsoft.com}. While doing so it matches the process's command line ({@code
 * /proc/self/cmdline}) against regular expressions with libstdc++'s {@code std::regex}, which recurses a
 * few hundred bytes of stack per character; a {@code java -cp <long class path> Main} launch (about
 * 6,000 characters, some 44 jars) overflows the 1 MB stack of the {@code java} launcher's main thread
 * inside {@code OrtEnvironment.getEnvironment()}. The overflow is in native code, past the JVM's guard
 * pages, where the JVM's signal handler has no stack left to run on: the process dies of SIGSEGV, exit
 * 139, with no {@code hs_err} file. {@code -Xss2m}, Maven's {@code exec:java} and Surefire (short command
 * lines) only hid it. This project builds on ONNX Runtime 1.28.0, which has no such code; with a newer
 * version on the class path, {@link #environment()} refuses to start unless the telemetry is turned off
 * for the process ({@code ORT_DISABLE_TELEMETRY=1} in the environment before the JVM starts; newer
 * releases read {@code ORT_TELEMETRY_DISABLED=1}), which also skips the command-line matching. On every
 * version it calls {@link OrtEnvironment#setTelemetry(boolean) setTelemetry(false)} (Windows builds send
 * events through the platform's own telemetry otherwise).
 *
 * <p><b>Threads.</b> Everything here is thread-safe and blocking: creating the environment loads the
 * native library (unpacked by ONNX Runtime into a fresh folder under {@code java.io.tmpdir}), and opening
 * a session reads and optimises a model (tens to hundreds of milliseconds). Call it where blocking is
 * allowed, as the engines do when they are assembled.
 */
public final class LocalOnnxRuntime {

  private static final Logger log = LoggerFactory.getLogger(LocalOnnxRuntime.class);

  /** The first ONNX Runtime release with telemetry outside Windows. */
  private static final int[] FIRST_WITH_TELEMETRY = {1, 29};

  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)?.*");

  private static final Object LOCK = new Object();
  private static volatile @Nullable OrtEnvironment environment;

  private LocalOnnxRuntime() {}

  /**
   * The process-wide ONNX Runtime environment, created on the first call with telemetry off.
   *
   * @return the environment every session of the project runs in
   * @throws IllegalStateException when the ONNX Runtime on the class path would send usage telemetry (a
   *     release from 1.29 on, without {@code ORT_DISABLE_TELEMETRY=1}); the message says what to change
   */
  public static OrtEnvironment environment() {
    OrtEnvironment env = environment;
    if (env == null) {
      synchronized (LOCK) {
        env = environment;
        if (env == null) {
          String version = OrtEnvironment.class.getPackage().getImplementationVersion();
          String refusal = telemetryRefusal(version, System::getenv);
          if (refusal != null) {
            throw new IllegalStateException(refusal);
          }
          if (version == null) {
            log.warn(
                "The version of ONNX Runtime on the class path is unknown (no Implementation-Version in its"
                    + " jar's manifest; a repackaged jar?). Versions from 1.29 on send usage telemetry unless"
                    + " ORT_DISABLE_TELEMETRY=1 is set; this project is built and tested with 1.28.0.");
          }
          env = OrtEnvironment.getEnvironment();
          try {
            env.setTelemetry(false);
          } catch (OrtException e) {
            throw new IllegalStateException(
                "ONNX Runtime could not turn its telemetry off: " + e.getMessage(), e);
          }
          environment = env;
        }
      }
    }
    return env;
  }

  /**
   * Opens a session on a model, and logs at INFO what was loaded and how long it took (reading the
   * model included). Blocking.
   *
   * @param description what the model is, for the log and for errors, such as {@code "Silero VAD v5"}
   * @param model reads the model's bytes (called once, here)
   * @param options the session's options; the caller keeps and closes them
   * @return the open session; the caller owns it
   * @throws IllegalStateException when ONNX Runtime refuses the model or is one that sends telemetry
   */
  public static OrtSession openSession(
      String description, Supplier<byte[]> model, OrtSession.SessionOptions options) {
    long start = System.nanoTime();
    byte[] bytes = model.get();
    OrtEnvironment env = environment();
    OrtSession session;
    try {
      session = env.createSession(bytes, options);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime could not load the " + description + " model: " + e.getMessage(), e);
    }
    log.info(
        "Loaded {} ({} KB) on ONNX Runtime {} in {} ms",
        description,
        bytes.length / 1024,
        env.getVersion(),
        (System.nanoTime() - start) / 1_000_000);
    return session;
  }

  /**
   * Why an ONNX Runtime of this version must not be started, or null when it may.
   *
   * @param version the release, such as {@code 1.28.0}; null when unknown (allowed, with a warning)
   * @param environment reads the process's environment variables
   * @return the refusal, naming the version, what it would do and what to change; or null
   */
  static @Nullable String telemetryRefusal(
      @Nullable String version, Function<String, @Nullable String> environment) {
    if (version == null) {
      return null;
    }
    Matcher m = VERSION.matcher(version.strip());
    if (!m.matches()) {
      return null;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    boolean telemetry =
        major > FIRST_WITH_TELEMETRY[0]
            || (major == FIRST_WITH_TELEMETRY[0] && minor >= FIRST_WITH_TELEMETRY[1]);
    if (!telemetry
        || isOne(environment.apply("ORT_DISABLE_TELEMETRY"))
        || isOne(environment.apply("ORT_TELEMETRY_DISABLED"))) {
      return null;
    }
    return "ONNX Runtime "
        + version
        + " is on the class path: from 1.29 on, its Linux and macOS builds send"
        + " usage telemetry to mobile.events.data.microsoft.com and keep a device ID under"
        + " ~/.cache/Microsoft/DeveloperTools/.onnxruntime, and 1.29.0 crashes the JVM (SIGSEGV) when the"
        + " command line is long. The local engines run offline only: depend on"
        + " com.microsoft.onnxruntime:onnxruntime:1.28.0 (the version this project is built with), or set the"
        + " environment variables ORT_DISABLE_TELEMETRY=1 and ORT_TELEMETRY_DISABLED=1 before the JVM starts";
  }

  /** Only {@code 1}: the value ONNX Runtime 1.29.0 is documented to read as "off". */
  private static boolean isOne(@Nullable String value) {
    return value != null && value.strip().equals("1");
  }
}
