import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The offline check's test of itself: connects to the address given as {@code host:port} (a loopback
 * address, which the check must allow, or another, which it must catch) and reports what happened.
 * Run with {@code java .ci/NetworkProbe.java 10.255.255.1:80}; the connection is expected to fail
 * inside the network namespace, the attempt is what counts.
 */
public final class NetworkProbe {
  public static void main(String[] args) {
    String[] hostPort = args[0].split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
      System.out.println("probe: connected to " + args[0]);
    } catch (Exception e) {
      System.out.println("probe: connecting to " + args[0] + " failed: " + e.getMessage());
    }
  }
}
