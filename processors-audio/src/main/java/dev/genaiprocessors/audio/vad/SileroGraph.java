package dev.genaiprocessors.audio.vad;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Specialises the Silero VAD v5 graph to the one way this project runs it, before ONNX Runtime loads
 * it: 16 kHz audio, one frame of {@value SileroModel#CONTEXT_SAMPLES} + {@value
 * SileroModel#FRAME_SAMPLES} samples per call.
 *
 * <p>The graph as shipped takes the sample rate as an input ({@code sr}) and branches on it at run time
 * (an {@code If} node with an 8 kHz and a 16 kHz network), and takes audio of any length. ONNX Runtime
 * optimises it as it is given, so each call runs the branch node and the subgraph machinery around it.
 * Here, {@code sr} becomes a constant of the graph (an initializer holding 16000) instead of an input,
 * and the {@code input} tensor gets the fixed shape {@code [1, 576]}. ONNX Runtime's constant folding
 * then resolves the sample-rate branch and inlines the 16 kHz network when the session is made; the
 * arithmetic is the same, and the probabilities come out the same ({@code SileroGraphTest}). The
 * recurrent {@code state} keeps its dynamic shape: fixing it as well made ONNX Runtime 1.28.0 crash
 * the JVM while making the session (SIGSEGV, with the input's shape fixed too), or fail on the first
 * frame inside the LSTM branch (with only the sample rate and the state fixed).
 *
 * <p>The model file is an ONNX {@code ModelProto} in protocol buffers. Only the few fields touched here
 * are read (the graph, its inputs and their names); every other byte is copied as it is. Stateless and
 * thread-safe.
 */
final class SileroGraph {

  // Field numbers of onnx.proto (ONNX IR version 3 and later).
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_INT64_DATA = 7;
  private static final int TENSOR_NAME = 8;
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  static final String AUDIO_INPUT = "input";
  static final String RATE_INPUT = "sr";

  private SileroGraph() {}

  /**
   * The model with {@code sr} fixed at {@value SileroModel#SAMPLE_RATE} and {@code input} fixed at
   * {@code [1, 576]}.
   *
   * @param model the bytes of the Silero VAD v5 ONNX model as shipped
   * @return the bytes of the specialised model
   * @throws IllegalArgumentException when the bytes are not a model with one graph that has the inputs
   *     {@code input} and {@code sr} (another model, or a damaged file)
   */
  static byte[] specialise(byte[] model) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + 64);
    int graphs = 0;
    int at = 0;
    while (at < model.length) {
      Field field = Field.read(model, at);
      if (field.number == MODEL_GRAPH && field.wireType == LENGTH_DELIMITED) {
        graphs++;
        writeLengthDelimited(out, MODEL_GRAPH, specialiseGraph(model, field));
      } else {
        out.write(model, at, field.end - at);
      }
      at = field.end;
    }
    if (graphs != 1) {
      throw new IllegalArgumentException(
          "not a Silero VAD model: expected one graph in the ONNX model, found " + graphs);
    }
    return out.toByteArray();
  }

  private static byte[] specialiseGraph(byte[] model, Field graph) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(graph.length() + 64);
    boolean audio = false;
    boolean rate = false;
    int at = graph.start;
    while (at < graph.end) {
      Field field = Field.read(model, at);
      @Nullable String name =
          field.number == GRAPH_INPUT && field.wireType == LENGTH_DELIMITED
              ? valueInfoName(model, field)
              : null;
      if (AUDIO_INPUT.equals(name)) {
        audio = true;
        writeLengthDelimited(
            out,
            GRAPH_INPUT,
            floatInput(AUDIO_INPUT, 1, SileroModel.CONTEXT_SAMPLES + SileroModel.FRAME_SAMPLES));
      } else if (RATE_INPUT.equals(name)) {
        rate = true;
      } else {
        out.write(model, at, field.end - at);
      }
      at = field.end;
    }
    if (!audio || !rate) {
      throw new IllegalArgumentException(
          "not the Silero VAD v5 graph: expected the inputs '"
              + AUDIO_INPUT
              + "' and '"
              + RATE_INPUT
              + "'");
    }
    writeLengthDelimited(out, GRAPH_INITIALIZER, rateConstant());
    return out.toByteArray();
  }

  /** The name of a graph input ({@code ValueInfoProto}), or null when it has none. */
  private static @Nullable String valueInfoName(byte[] model, Field valueInfo) {
    int at = valueInfo.start;
    while (at < valueInfo.end) {
      Field field = Field.read(model, at);
      if (field.number == VALUE_INFO_NAME && field.wireType == LENGTH_DELIMITED) {
        return new String(model, field.start, field.length(), StandardCharsets.UTF_8);
      }
      at = field.end;
    }
    return null;
  }

  /** A {@code ValueInfoProto}: a float tensor of this name and these fixed dimensions. */
  private static byte[] floatInput(String name, long... dims) {
    ByteArrayOutputStream shape = new ByteArrayOutputStream();
    for (long dim : dims) {
      ByteArrayOutputStream dimension = new ByteArrayOutputStream();
      writeVarintField(dimension, DIM_VALUE, dim);
      writeLengthDelimited(shape, SHAPE_DIM, dimension.toByteArray());
    }
    ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
    writeVarintField(tensorType, TENSOR_TYPE_ELEM_TYPE, FLOAT);
    writeLengthDelimited(tensorType, TENSOR_TYPE_SHAPE, shape.toByteArray());
    ByteArrayOutputStream type = new ByteArrayOutputStream();
    writeLengthDelimited(type, TYPE_TENSOR, tensorType.toByteArray());
    ByteArrayOutputStream valueInfo = new ByteArrayOutputStream();
    writeLengthDelimited(valueInfo, VALUE_INFO_NAME, name.getBytes(StandardCharsets.UTF_8));
    writeLengthDelimited(valueInfo, VALUE_INFO_TYPE, type.toByteArray());
    return valueInfo.toByteArray();
  }

  /** A {@code TensorProto}: the scalar int64 {@code sr} = 16000. */
  private static byte[] rateConstant() {
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    writeVarint(value, SileroModel.SAMPLE_RATE);
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    writeVarintField(tensor, TENSOR_DATA_TYPE, INT64);
    writeLengthDelimited(tensor, TENSOR_INT64_DATA, value.toByteArray());
    writeLengthDelimited(tensor, TENSOR_NAME, RATE_INPUT.getBytes(StandardCharsets.UTF_8));
    return tensor.toByteArray();
  }

  private static void writeLengthDelimited(ByteArrayOutputStream out, int number, byte[] payload) {
    writeVarint(out, ((long) number << 3) | LENGTH_DELIMITED);
    writeVarint(out, payload.length);
    out.write(payload, 0, payload.length);
  }

  private static void writeVarintField(ByteArrayOutputStream out, int number, long value) {
    writeVarint(out, ((long) number << 3) | VARINT);
    writeVarint(out, value);
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long rest = value;
    while ((rest & ~0x7FL) != 0) {
      out.write((int) ((rest & 0x7F) | 0x80));
      rest >>>= 7;
    }
    out.write((int) rest);
  }

  /**
   * One field of a protocol buffers message: its number and wire type; for a length-delimited field,
   * where its payload lies ({@code start} to {@code end}); {@code end} is where the next field begins.
   */
  private record Field(int number, int wireType, int start, int end) {

    int length() {
      return end - start;
    }

    static Field read(byte[] bytes, int at) {
      long[] cursor = {at};
      long key = readVarint(bytes, cursor);
      int number = (int) (key >>> 3);
      int wireType = (int) (key & 7);
      if (number <= 0) {
        throw damaged(at);
      }
      int start = (int) cursor[0];
      long end;
      switch (wireType) {
        case VARINT -> {
          readVarint(bytes, cursor);
          end = cursor[0];
        }
        case FIXED64 -> end = start + 8L;
        case FIXED32 -> end = start + 4L;
        case LENGTH_DELIMITED -> {
          long length = readVarint(bytes, cursor);
          start = (int) cursor[0];
          end = length < 0 ? -1 : start + length;
        }
        default -> throw damaged(at);
      }
      if (end < start || end > bytes.length) {
        throw damaged(at);
      }
      return new Field(number, wireType, start, (int) end);
    }

    private static long readVarint(byte[] bytes, long[] cursor) {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int at = (int) cursor[0];
        if (at >= bytes.length) {
          throw damaged(at);
        }
        int b = bytes[at];
        cursor[0] = at + 1;
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw damaged((int) cursor[0]);
    }

    private static IllegalArgumentException damaged(int at) {
      return new IllegalArgumentException(
          "not a Silero VAD model: the ONNX model's bytes do not parse at offset " + at);
    }
  }
}
