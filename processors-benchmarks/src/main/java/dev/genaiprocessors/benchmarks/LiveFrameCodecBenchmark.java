package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one audio frame costs the live clients to write and to read, the way they did it before (a copy of
 * the bytes, Base64 as a String, a JSON tree, its String, its UTF-8 bytes; and on the way in a String of the
 * frame, a tree, a String of the Base64, its decoding) and the way they do it now (the message written from a
 * view of the part's bytes into one array; the audio read by the streaming parser). Run with
 * {@code -prof gc} for the bytes allocated per frame:
 *
 * <pre>{@code
 * java -jar target/benchmarks.jar LiveFrameCodecBenchmark -prof gc
 * }</pre>
 *
 * <p>Frames: 20 ms of input audio (640 bytes at 16 kHz for Gemini, 960 bytes at 24 kHz for OpenAI) and
 * 100 ms of model audio (4,800 bytes at 24 kHz) on the way in. The "old" methods are the code of commit
 * {@code c57a65e}, written out here (encode) or still in the client as the fallback path (Gemini's tree
 * decoder); the "new" ones call the clients' own package-private code through method handles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LiveFrameCodecBenchmark {
  private static final MethodHandle GEMINI_ENCODE;
  private static final MethodHandle GEMINI_UTF8;
  private static final MethodHandle GEMINI_DECODE;
  private static final MethodHandle GEMINI_DECODE_TREE;
  private static final MethodHandle OPENAI_APPEND;
  private static final MethodHandle OPENAI_READ;
  private static final MethodHandle OPENAI_AUDIO;
  private static final MethodHandle OPENAI_RESPONSE;
  private static final MethodHandle OPENAI_ITEM;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      Class<?> messages = Class.forName("dev.genaiprocessors.gemini.live.ClientMessages");
      Class<?> outgoing = Class.forName("dev.genaiprocessors.gemini.live.ClientMessages$Outgoing");
      Class<?> server = Class.forName("dev.genaiprocessors.gemini.live.ServerMessages");
      Class<?> events = Class.forName("dev.genaiprocessors.openai.realtime.ClientEvents");
      Class<?> delta = Class.forName("dev.genaiprocessors.openai.realtime.AudioDelta");
      GEMINI_ENCODE =
          lookup
              .unreflect(open(messages.getDeclaredMethod("encode", Part.class)))
              .asType(MethodType.methodType(Object.class, Object.class, Part.class));
      GEMINI_UTF8 =
          lookup
              .unreflect(open(outgoing.getDeclaredMethod("utf8")))
              .asType(MethodType.methodType(byte[].class, Object.class));
      GEMINI_DECODE =
          lookup.unreflect(
              open(
                  server.getDeclaredMethod(
                      "decode", byte[].class, int.class, SecretRedactor.class)));
      GEMINI_DECODE_TREE =
          lookup.unreflect(
              open(
                  server.getDeclaredMethod(
                      "decodeTree", byte[].class, int.class, SecretRedactor.class)));
      OPENAI_APPEND = lookup.unreflect(open(events.getDeclaredMethod("append", ByteBuffer.class)));
      OPENAI_READ =
          lookup
              .unreflect(open(delta.getDeclaredMethod("read", byte[].class)))
              .asType(MethodType.methodType(Object.class, byte[].class));
      OPENAI_AUDIO =
          lookup
              .unreflect(open(delta.getDeclaredMethod("audio")))
              .asType(MethodType.methodType(byte[].class, Object.class));
      OPENAI_RESPONSE =
          lookup
              .unreflect(open(delta.getDeclaredMethod("responseId")))
              .asType(MethodType.methodType(String.class, Object.class));
      OPENAI_ITEM =
          lookup
              .unreflect(open(delta.getDeclaredMethod("itemId")))
              .asType(MethodType.methodType(String.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static Method open(Method m) {
    m.setAccessible(true);
    return m;
  }

  private Part geminiIn;
  private Part openAiIn;
  private Object geminiEncoder;
  private byte[] geminiOut;
  private byte[] openAiOut;

  @Setup
  public void setup() throws ReflectiveOperationException {
    geminiIn = Part.audio(bytes(640), 16000);
    openAiIn = Part.audio(bytes(960), 24000);
    Class<?> settings = Class.forName("dev.genaiprocessors.gemini.live.GeminiLiveSettings");
    Constructor<?> make = settings.getDeclaredConstructor();
    make.setAccessible(true);
    Object s = make.newInstance();
    Field model = settings.getDeclaredField("model");
    model.setAccessible(true);
    model.set(s, "gemini-live-2.5-flash-preview");
    Constructor<?> encoder =
        Class.forName("dev.genaiprocessors.gemini.live.ClientMessages")
            .getDeclaredConstructor(settings);
    encoder.setAccessible(true);
    geminiEncoder = encoder.newInstance(s);
    String model24k = Base64.getEncoder().encodeToString(bytes(4800));
    geminiOut =
        ("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":"
                + "{\"mimeType\":\"audio/pcm;rate=24000\",\"data\":\""
                + model24k
                + "\"}}]}}}")
            .getBytes(StandardCharsets.UTF_8);
    openAiOut =
        ("{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_123\","
                + "\"response_id\":\"resp_1\",\"item_id\":\"item_1\",\"output_index\":0,"
                + "\"content_index\":0,\"delta\":\""
                + model24k
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** Before: bytes() copies, Base64 to a String, a tree, its String, then the frame's UTF-8 copy. */
  @Benchmark
  public byte[] geminiEncodeOld() {
    ObjectNode blob =
        WireJson.MAPPER
            .createObjectNode()
            .put("mimeType", "audio/pcm;rate=16000")
            .put("data", Base64.getEncoder().encodeToString(geminiIn.bytes()));
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.set("audio", blob);
    ObjectNode message = WireJson.MAPPER.createObjectNode();
    message.set("realtimeInput", body);
    return WireJson.MAPPER.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
  }

  /** Now: the session's encoder, from the part's view into one exactly-sized array. */
  @Benchmark
  public byte[] geminiEncodeNew() throws Throwable {
    return (byte[]) GEMINI_UTF8.invokeExact(GEMINI_ENCODE.invokeExact(geminiEncoder, geminiIn));
  }

  /** Before: a copy of the view, Base64 to a String, a tree, its String, then the frame's UTF-8 copy. */
  @Benchmark
  public byte[] openAiEncodeOld() {
    ByteBuffer b = openAiIn.byteBuffer();
    byte[] pcm = new byte[b.remaining()];
    b.duplicate().get(pcm);
    ObjectNode e =
        WireJson.MAPPER
            .createObjectNode()
            .put("type", "input_audio_buffer.append")
            .put("audio", Base64.getEncoder().encodeToString(pcm));
    return e.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Now: {@code ClientEvents.append(ByteBuffer)}. */
  @Benchmark
  public byte[] openAiEncodeNew() throws Throwable {
    return (byte[]) OPENAI_APPEND.invokeExact(openAiIn.byteBuffer());
  }

  /** Before (and now for any message but model audio): the tree decoder. */
  @Benchmark
  @SuppressWarnings("unchecked")
  public List<Object> geminiDecodeOld() throws Throwable {
    return (List<Object>)
        (List<?>) GEMINI_DECODE_TREE.invoke(geminiOut, 256, SecretRedactor.none());
  }

  /** Now: {@code ServerMessages.decode}, which takes model audio by the streaming parser. */
  @Benchmark
  @SuppressWarnings("unchecked")
  public List<Object> geminiDecodeNew() throws Throwable {
    return (List<Object>) (List<?>) GEMINI_DECODE.invoke(geminiOut, 256, SecretRedactor.none());
  }

  /** Before: the frame as a String, a tree, the Base64 String decoded, the part. */
  @Benchmark
  public Part openAiDecodeOld() {
    ObjectNode e =
        WireJson.parseObject(new String(openAiOut, StandardCharsets.UTF_8), "OpenAI", s -> s);
    if (!"response.output_audio.delta".equals(WireJson.stringOr(e, "type", ""))) {
      throw new IllegalStateException();
    }
    String response = WireJson.text(e, "response_id");
    String item = WireJson.text(e, "item_id");
    byte[] pcm = Base64.getDecoder().decode(WireJson.stringOr(e, "delta", ""));
    return Part.audio(pcm, 24000)
        .withMetadata("response_id", response)
        .withMetadata("item_id", item);
  }

  /** Now: {@code AudioDelta.read}, the streaming parser on the frame's bytes, then the same part. */
  @Benchmark
  public Part openAiDecodeNew() throws Throwable {
    Object d = OPENAI_READ.invokeExact(openAiOut);
    return Part.audio((byte[]) OPENAI_AUDIO.invokeExact(d), 24000)
        .withMetadata("response_id", (String) OPENAI_RESPONSE.invokeExact(d))
        .withMetadata("item_id", (String) OPENAI_ITEM.invokeExact(d));
  }
}
