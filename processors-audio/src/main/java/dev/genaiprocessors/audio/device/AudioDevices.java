package dev.genaiprocessors.audio.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.jspecify.annotations.Nullable;

/**
 * The audio devices of this machine as Java Sound sees them, by name: what {@link Microphone.Builder#device}
 * and {@link Speaker.Builder#device} accept. Also opens their lines for those classes.
 *
 * <p>Every method here may block briefly while Java Sound queries the system (it loads native code on
 * first use): call them from a thread that may block, such as {@code Schedulers.boundedElastic()}, not
 * from a Reactor parallel thread. On a machine with no sound system (a container, CI) the lists are empty.
 */
public final class AudioDevices {

  private AudioDevices() {}

  /**
   * The names of the devices that can record audio, in Java Sound's order; empty when there are none.
   *
   * @return a new list of the names, possibly empty
   */
  public static List<String> microphones() {
    return names(new Line.Info(TargetDataLine.class), true);
  }

  /**
   * The names of the devices that can play audio, in Java Sound's order; empty when there are none.
   *
   * @return a new list of the names, possibly empty
   */
  public static List<String> speakers() {
    return names(new Line.Info(SourceDataLine.class), false);
  }

  private static List<String> names(Line.Info kind, boolean target) {
    List<String> names = new ArrayList<>();
    for (Mixer.Info info : AudioSystem.getMixerInfo()) {
      Mixer mixer = AudioSystem.getMixer(info);
      Line.Info[] lines = target ? mixer.getTargetLineInfo(kind) : mixer.getSourceLineInfo(kind);
      if (lines.length > 0) {
        names.add(info.getName());
      }
    }
    return names;
  }

  /**
   * Opens (but does not start) a capture line of this format on the named device, or on the system's
   * default device when {@code device} is null.
   *
   * @throws DeviceUnavailableException when no device supports the format, none matches the name, or the
   *     device cannot be opened (busy, denied)
   */
  static TargetDataLine openCapture(AudioFormat format, @Nullable String device, int bufferBytes)
      throws DeviceUnavailableException {
    DataLine.Info info = new DataLine.Info(TargetDataLine.class, format);
    TargetDataLine line;
    try {
      line =
          (TargetDataLine)
              (device == null
                  ? AudioSystem.getLine(info)
                  : mixer(device, microphones()).getLine(info));
    } catch (IllegalArgumentException | LineUnavailableException | SecurityException e) {
      throw new DeviceUnavailableException(
          "No microphone found: "
              + lookingFor(device)
              + "no audio capture device "
              + "supports "
              + format
              + " (capture devices: "
              + listed(microphones())
              + "). List them with "
              + "AudioDevices.microphones() and pick one with Microphone.builder().device(name), or another "
              + "sampleRate; a container or CI machine usually has none.",
          e);
    }
    try {
      line.open(format, bufferBytes);
      return line;
    } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
      line.close();
      throw new DeviceUnavailableException(
          "The microphone "
              + describe(device)
              + "cannot be opened for "
              + format
              + " (in use by another program, or access denied): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Opens and starts a playback line of this format on the named device, or on the system's default
   * device when {@code device} is null.
   *
   * @throws DeviceUnavailableException when no device supports the format, none matches the name, or the
   *     device cannot be opened (busy, denied)
   */
  static SourceDataLine openPlayback(AudioFormat format, @Nullable String device, int bufferBytes)
      throws DeviceUnavailableException {
    DataLine.Info info = new DataLine.Info(SourceDataLine.class, format);
    SourceDataLine line;
    try {
      line =
          (SourceDataLine)
              (device == null
                  ? AudioSystem.getLine(info)
                  : mixer(device, speakers()).getLine(info));
    } catch (IllegalArgumentException | LineUnavailableException | SecurityException e) {
      throw new DeviceUnavailableException(
          "No speaker found: "
              + lookingFor(device)
              + "no audio playback device "
              + "supports "
              + format
              + " (playback devices: "
              + listed(speakers())
              + "). List them with "
              + "AudioDevices.speakers() and pick one with Speaker.builder().device(name); a container or CI "
              + "machine usually has none.",
          e);
    }
    try {
      line.open(format, bufferBytes);
      line.start();
      return line;
    } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
      line.close();
      throw new DeviceUnavailableException(
          "The speaker "
              + describe(device)
              + "cannot be opened for "
              + format
              + " (in use by another program, or access denied): "
              + e.getMessage(),
          e);
    }
  }

  /** The first mixer whose name contains {@code device}, ignoring case. */
  private static Mixer mixer(String device, List<String> candidates)
      throws LineUnavailableException {
    String wanted = device.toLowerCase(Locale.ROOT);
    for (Mixer.Info info : AudioSystem.getMixerInfo()) {
      if (candidates.contains(info.getName())
          && info.getName().toLowerCase(Locale.ROOT).contains(wanted)) {
        return AudioSystem.getMixer(info);
      }
    }
    throw new LineUnavailableException("no device named like '" + device + "'");
  }

  private static String lookingFor(@Nullable String device) {
    return device == null ? "" : "none is named like '" + device + "', or ";
  }

  private static String describe(@Nullable String device) {
    return device == null ? "(system default) " : "'" + device + "' ";
  }

  private static String listed(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
