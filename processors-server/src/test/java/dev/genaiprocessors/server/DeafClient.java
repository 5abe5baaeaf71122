package dev.genaiprocessors.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A raw WebSocket client on a plain socket that never answers the server's close frame (Reactor
 * Netty's and browsers' clients always do) and reads only when told to: for the server's close-wait
 * cutoff. It does the opening handshake, reads frames, and sends masked pings. Every read waits at most {@link LoopbackClient#WAIT}.
 * Blocking, for the test thread only.
 */
final class DeafClient implements AutoCloseable {
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;

  /** One frame from the server (servers do not mask). */
  record Frame(int opcode, byte[] payload) {
    boolean isClose() {
      return opcode == OP_CLOSE;
    }

    boolean isPong() {
      return opcode == OP_PONG;
    }

    /** The close code of a close frame. */
    int closeCode() {
      return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private DeafClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects and completes the opening handshake (101).
   *
   * @param ws the server's WebSocket address
   * @param receiveBuffer the socket's receive buffer in bytes (small, so that a client that stops
   *     reading holds the server's writes up soon)
   */
  static DeafClient connect(URI ws, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()));
    socket.setSoTimeout((int) LoopbackClient.WAIT.toMillis());
    DeafClient client = new DeafClient(socket);
    String request =
        "GET "
            + ws.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + ws.getHost()
            + ":"
            + ws.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    client.out.write(request.getBytes(StandardCharsets.US_ASCII));
    client.out.flush();
    String head = client.readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("the server did not upgrade: " + head);
    }
    return client;
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection closed during the handshake");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** The next frame from the server. */
  Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  /** Frames until the server's close frame, which is returned (and not answered). */
  Frame readUntilClose() throws IOException {
    Frame f;
    do {
      f = readFrame();
    } while (!f.isClose());
    return f;
  }

  /** Sends a ping and waits for its pong: the server's event loop has read everything before it. */
  void pingPong(String payload) throws IOException {
    byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | OP_PING);
    frame.write(0x80 | data.length); // masked, short payload
    frame.write(new byte[4]); // a zero mask key leaves the payload as it is
    frame.write(data);
    out.write(frame.toByteArray());
    out.flush();
    Frame answer = readFrame();
    if (!answer.isPong()
        || !new String(answer.payload(), StandardCharsets.US_ASCII).equals(payload)) {
      throw new IOException(
          "expected the pong of '" + payload + "', got opcode " + answer.opcode());
    }
  }

  /**
   * Waits for the server to close the TCP connection.
   *
   * @return true when it did; false when it was still open after {@link LoopbackClient#WAIT}
   */
  boolean awaitCutOff() throws IOException {
    try {
      while (in.read() >= 0) {
        // anything the server still sends is skipped
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by the server
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
