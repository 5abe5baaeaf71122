package dev.genaiprocessors.offline.stt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSGF grammar made from a list of phrases: each phrase is normalised to the words Sphinx4 hears
 * (lower case, punctuation dropped), every word is checked against the US-English pronunciation
 * dictionary, and a recognised word sequence is mapped back to the phrase as the user wrote it.
 */
final class SphinxGrammar {

  static final String NAME = "phrases";
  static final String DICTIONARY_RESOURCE = "edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";

  private static final Pattern NOT_A_WORD_CHARACTER = Pattern.compile("[^a-z0-9']+");

  /** Normalised phrase -> the phrase as given, in the order given. */
  private final Map<String, String> phrases;

  private SphinxGrammar(Map<String, String> phrases) {
    this.phrases = phrases;
  }

  /**
   * A grammar of these phrases. Reads the pronunciation dictionary (3 MB) from the class path: blocking.
   *
   * @throws IllegalArgumentException when there are no phrases, a phrase has no words, or words are not
   *     in the dictionary (the message lists them)
   */
  static SphinxGrammar of(List<String> phrases) {
    if (phrases.isEmpty()) {
      throw new IllegalArgumentException("a Sphinx4 grammar needs at least one phrase");
    }
    Map<String, String> normalised = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String phrase : phrases) {
      String words = normalise(phrase);
      if (words.isEmpty()) {
        problems.add("phrase '" + phrase + "' has no words");
      } else {
        normalised.putIfAbsent(words, phrase.strip());
      }
    }
    Set<String> dictionary = readDictionaryWords();
    Set<String> unknown = new LinkedHashSet<>();
    for (String words : normalised.keySet()) {
      for (String word : words.split(" ")) {
        if (!dictionary.contains(word)) {
          unknown.add(word);
        }
      }
    }
    if (!unknown.isEmpty()) {
      problems.add(
          "words not in the Sphinx4 US-English dictionary: "
              + String.join(", ", unknown)
              + " (spell numbers as words, and use dictionary spellings)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot make a Sphinx4 grammar: " + String.join("; ", problems));
    }
    return new SphinxGrammar(normalised);
  }

  /** The words Sphinx4 would hear in a phrase: lower case, separated by single spaces, no punctuation. */
  static String normalise(String phrase) {
    String lower = phrase.toLowerCase(Locale.ROOT);
    String spaced = NOT_A_WORD_CHARACTER.matcher(lower).replaceAll(" ");
    StringBuilder words = new StringBuilder();
    for (String word : spaced.trim().split(" +")) {
      String w = stripQuotes(word);
      if (!w.isEmpty()) {
        if (words.length() > 0) {
          words.append(' ');
        }
        words.append(w);
      }
    }
    return words.toString();
  }

  /** How many distinct phrases the grammar holds. */
  int size() {
    return phrases.size();
  }

  /** The grammar in JSGF: one public rule whose alternatives are the phrases. */
  String jsgf() {
    StringBuilder sb =
        new StringBuilder("#JSGF V1.0;\n\ngrammar ")
            .append(NAME)
            .append(";\n\npublic <phrase> =\n");
    int i = 0;
    for (String words : phrases.keySet()) {
      sb.append(i++ == 0 ? "    " : "  | ").append(words).append('\n');
    }
    return sb.append("  ;\n").toString();
  }

  /**
   * The phrase as the user wrote it when the recognised words are exactly one phrase; otherwise the
   * words themselves (several phrases in one utterance, or a partial hypothesis).
   */
  String restore(String recognised) {
    String original = phrases.get(recognised);
    return original != null ? original : recognised;
  }

  private static String stripQuotes(String word) {
    int start = 0;
    int end = word.length();
    while (start < end && word.charAt(start) == '\'') {
      start++;
    }
    while (end > start && word.charAt(end - 1) == '\'') {
      end--;
    }
    return word.substring(start, end);
  }

  private static Set<String> readDictionaryWords() {
    ClassLoader loader = SphinxGrammar.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(DICTIONARY_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the Sphinx4 dictionary "
                + DICTIONARY_RESOURCE
                + " is not on the class path; add de.sciss:sphinx4-data to the build");
      }
      Set<String> words = new HashSet<>(200_000);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        int space = line.indexOf(' ');
        if (space <= 0) {
          continue;
        }
        String word = line.substring(0, space);
        int variant = word.indexOf('(');
        words.add(variant > 0 ? word.substring(0, variant) : word);
      }
      return words;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the Sphinx4 dictionary " + DICTIONARY_RESOURCE, e);
    }
  }
}
