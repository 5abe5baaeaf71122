package dev.genaiprocessors.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.quic.Quic;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The runtime closure that processors-live's pom chooses: the QUIC native libraries are excluded, and
 * what the clients use (HTTP/1.1, HTTP/2, TLS set-up, WebSockets) still works. HTTP/1.1 and WebSockets
 * are exercised by every client test against the emulators; this test covers the rest.
 */
class NettyClosureTest {

  @Test
  void quicNativeLibrariesAreNotOnTheClassPath() {
    assertThat(
            getClass()
                .getClassLoader()
                .getResource("META-INF/maven/io.netty/netty-codec-native-quic/pom.properties"))
        .as("netty-codec-native-quic is excluded in processors-live/pom.xml")
        .isNull();
    assertThat(Quic.isAvailable()).isFalse();
  }

  @Test
  void tlsSetUpInitialisesWithoutTheQuicNatives() {
    // HttpClientSecure's static initialiser asks Quic whether HTTP/3 is available; it is what every
    // https:// call goes through. It must not fail when only the QUIC classes are present.
    assertThat(HttpClient.create().secure().configuration().sslProvider()).isNotNull();
  }

  @Test
  void http3IsRefusedWithAClearError() {
    assertThatThrownBy(() -> HttpClient.create().protocol(HttpProtocol.HTTP3))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("netty-codec-native-quic");
  }

  @Test
  void http2CleartextRoundTripOnLoopback() {
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .protocol(HttpProtocol.H2C)
            .handle(
                (request, response) -> response.sendString(Mono.just("over " + request.protocol())))
            .bindNow(Duration.ofSeconds(10));
    try {
      String body =
          HttpClient.create()
              .protocol(HttpProtocol.H2C)
              .get()
              .uri("http://127.0.0.1:" + server.port() + "/")
              .responseContent()
              .aggregate()
              .asString()
              .block(Duration.ofSeconds(10));
      assertThat(body).isEqualTo("over HTTP/2.0");
    } finally {
      server.disposeNow(Duration.ofSeconds(10));
    }
  }
}
