package dev.genaiprocessors.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser page the server serves: {@code index.html}, its script and its AudioWorklet module, read
 * once from the class path (resources under {@code dev/genaiprocessors/server/page/}).
 */
final class Page {
  /** A file of the page, with its content type. */
  record File(byte[] content, String contentType) {}

  private static final String BASE = "/dev/genaiprocessors/server/page/";

  private Page() {}

  /** URL path to file, {@code /} being {@code index.html}. Reads the class path: call at start-up. */
  static Map<String, File> load() {
    Map<String, File> files = new LinkedHashMap<>();
    files.put("/", read("index.html", "text/html; charset=utf-8"));
    files.put("/voice.js", read("voice.js", "text/javascript; charset=utf-8"));
    files.put("/worklet.js", read("worklet.js", "text/javascript; charset=utf-8"));
    return files;
  }

  private static File read(String name, String contentType) {
    try (InputStream in = Page.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("the page's " + name + " is missing from the class path");
      }
      return new File(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the page's " + name, e);
    }
  }
}
