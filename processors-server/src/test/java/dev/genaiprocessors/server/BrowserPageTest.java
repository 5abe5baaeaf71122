package dev.genaiprocessors.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.offline.realtime.LocalRealtimeProvider;
import dev.genaiprocessors.offline.stt.SphinxRecognizer;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * The browser page in a real browser: Debian's headless Chromium, driven by Selenium and
 * chromium-driver, with a WAV file as its microphone, talking to the server that runs the local voice
 * pipeline (energy VAD, Sphinx4, FreeTTS, all in this JVM).
 *
 * <p>The WAV says "What time is it?" then stays silent for a few seconds, and Chromium plays it in a
 * loop: the first time it is a question, whose long answer the page plays; the next time it comes while
 * the answer is still playing, which is a barge-in: the pipeline cuts its answer, and the page drops
 * the audio it had not played yet. A screenshot of the page is kept at
 * {@code target/browser-test/voice-page.png} (the one in {@code docs/} is a copy).
 */
class BrowserPageTest {
  private static final Logger LOG = LoggerFactory.getLogger(BrowserPageTest.class);
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String QUESTION = "What time is it?";
  private static final String ANSWER =
      "You asked what time is it. It is time for a long answer, long enough for you to speak over"
          + " it. The page keeps playing it until you interrupt, and then it stops at once and drops"
          + " what it had not played yet. Here is more of it, so that it keeps going for a while.";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  /** Answers every prompt with the same long answer, naming the question it heard. */
  private static final Processor RESPONDER =
      prompt ->
          prompt
              .filter(p -> p.isText() && "user".equals(p.role()) && !p.text().isBlank())
              .last(Part.text(""))
              .flatMapMany(last -> Flux.just(Part.text(ANSWER).withRole("model")));

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void thePageTalksToTheLocalPipelineShowsBothSidesPlaysTheAnswerAndFlushesOnBargeIn()
      throws IOException {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "skipped: /usr/bin/chromium is absent. Install Debian's Chromium and its driver"
            + " (apt-get install chromium chromium-driver) to run the browser test.");
    Path wav = dir.resolve("question.wav");
    Files.write(wav, Wav.encode(question(), FreeTtsSynthesizer.SAMPLE_RATE));

    SphinxRecognizer recognizer = SphinxRecognizer.grammar(List.of(QUESTION));
    recognizer.load().block(WAIT);
    LiveProcessor local =
        LocalRealtimeProvider.builder()
            .responder(config -> RESPONDER)
            .recognizer(() -> recognizer)
            .build()
            .create(RealtimeConfig.builder().build(), Map.of());
    List<ConversationReport> reports = new CopyOnWriteArrayList<>();
    try (VoiceServer server =
        VoiceServer.builder()
            .port(0)
            .conversations(ConversationFactory.of(local))
            .authenticator(Authenticator.allowAll()) // loopback test: the page's own origin only
            .onConversationEnd(reports::add)
            .build()
            .start()) {
      WebDriver browser = chromium(wav);
      try {
        browser.get(server.pageUri().toString());
        browser.findElement(By.id("start")).click();

        await(
            browser,
            "the user's words in the transcript",
            b -> text(b, "#log li.user").contains(QUESTION));
        await(
            browser,
            "the assistant's answer",
            b -> text(b, "#log li.assistant").contains("You asked what time is it"));
        await(browser, "audio played", b -> number(b, "played-ms") > 500);
        await(
            browser,
            "an interruption that flushed playback",
            b -> number(b, "interruptions") >= 1 && number(b, "flushed-ms") > 0);

        assertThat(text(browser, "#log li.user")).contains("You: " + QUESTION);
        assertThat(text(browser, "#log li.assistant")).contains("[interrupted]");
        assertThat(browser.findElement(By.id("output-rate")).getText()).isEqualTo("24000");
        assertThat(browser.findElement(By.id("state")).getText())
            .isIn("idle", "listening", "processing", "speaking", "interrupted");
        Path shot = Path.of("target", "browser-test", "voice-page.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        LOG.info(
            "browser test: played {} ms, {} interruptions, flushed {} ms; screenshot {}",
            number(browser, "played-ms"),
            number(browser, "interruptions"),
            number(browser, "flushed-ms"),
            shot.toAbsolutePath());
        browser.findElement(By.id("start")).click(); // Stop
      } catch (RuntimeException | AssertionError e) {
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
          LOG.warn("browser console: {}", entry);
        }
        LOG.warn("page at failure: {}", browser.findElement(By.tagName("body")).getText());
        throw e;
      } finally {
        browser.quit();
      }
    }
  }

  /** The question, with half a second of silence before and four after. */
  private static byte[] question() {
    ByteArrayOutputStream pcm = new ByteArrayOutputStream();
    int rate = FreeTtsSynthesizer.SAMPLE_RATE;
    pcm.writeBytes(new byte[rate]); // 0.5 s
    try (FreeTtsSynthesizer tts = FreeTtsSynthesizer.kevin16()) {
      tts.synthesize(
          QUESTION,
          (bytes, r) -> {
            pcm.writeBytes(bytes);
            return true;
          });
    }
    pcm.writeBytes(new byte[rate * 8]); // 4 s
    return pcm.toByteArray();
  }

  private WebDriver chromium(Path wav) throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")),
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--use-file-for-fake-audio-capture=" + wav,
        "--autoplay-policy=no-user-gesture-required",
        "--window-size=900,1000");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void await(
      WebDriver browser, String what, java.util.function.Predicate<WebDriver> until) {
    try {
      new WebDriverWait(browser, WAIT).withMessage(what).until(until::test);
    } catch (TimeoutException e) {
      throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what, e);
    }
  }

  private static String text(WebDriver browser, String css) {
    StringBuilder all = new StringBuilder();
    browser.findElements(By.cssSelector(css)).forEach(e -> all.append(e.getText()).append('\n'));
    return all.toString();
  }

  private static long number(WebDriver browser, String id) {
    String t = browser.findElement(By.id(id)).getText().trim();
    return t.isEmpty() || t.equals("-") ? 0 : Long.parseLong(t);
  }
}
