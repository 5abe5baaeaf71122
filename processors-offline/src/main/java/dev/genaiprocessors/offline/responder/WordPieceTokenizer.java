package dev.genaiprocessors.offline.responder;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The BERT uncased WordPiece tokenizer of all-MiniLM-L6-v2, in plain Java: it reads the vocabulary from
 * the model's {@code tokenizer.json} and does no I/O of its own, loads no native code and writes nothing
 * to disk. It follows the Hugging Face {@code tokenizers} pipeline that file describes, step by step:
 *
 * <ol>
 *   <li>{@code BertNormalizer}: control and unassigned characters, NUL and U+FFFD are removed, white space
 *       becomes a space, CJK ideographs are set apart with spaces, accents are stripped (NFD, then
 *       non-spacing marks removed) and the text is lower-cased;
 *   <li>{@code BertPreTokenizer}: split on white space, and every punctuation character is a word of its
 *       own;
 *   <li>{@code WordPiece}: each word is cut greedily into the longest pieces in the vocabulary, pieces
 *       after the first prefixed {@code ##}; a word with a piece not in the vocabulary, or longer than 100
 *       characters, is one {@code [UNK]};
 *   <li>the template {@code [CLS] $A [SEP]}.
 * </ol>
 *
 * <p>The ids are checked in tests against those the Hugging Face tokenizer gives for the same texts.
 * Instances are immutable and thread-safe.
 */
final class WordPieceTokenizer {

  private static final String UNKNOWN = "[UNK]";
  private static final String CLASSIFY = "[CLS]";
  private static final String SEPARATOR = "[SEP]";
  private static final String CONTINUATION = "##";
  private static final int MAX_WORD_CHARS = 100;

  private final Map<String, Integer> vocabulary;
  private final int unknownId;
  private final int classifyId;
  private final int separatorId;

  private WordPieceTokenizer(Map<String, Integer> vocabulary) {
    this.vocabulary = vocabulary;
    this.unknownId = idOf(vocabulary, UNKNOWN);
    this.classifyId = idOf(vocabulary, CLASSIFY);
    this.separatorId = idOf(vocabulary, SEPARATOR);
  }

  /**
   * The tokenizer described by a Hugging Face {@code tokenizer.json} whose model is WordPiece.
   *
   * @throws IllegalArgumentException when the file is not JSON, or not a WordPiece tokenizer with the
   *     special tokens BERT needs
   */
  static WordPieceTokenizer fromTokenizerJson(byte[] json) {
    JsonNode root;
    try {
      root = JsonMapper.shared().readTree(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the tokenizer file is not JSON: " + e.getMessage(), e);
    }
    JsonNode model = root.path("model");
    if (!"WordPiece".equals(model.path("type").asString(""))) {
      throw new IllegalArgumentException(
          "the tokenizer file does not describe a WordPiece model (model.type is '"
              + model.path("type").asString("")
              + "')");
    }
    JsonNode vocab = model.path("vocab");
    if (!vocab.isObject() || vocab.isEmpty()) {
      throw new IllegalArgumentException("the tokenizer file has no model.vocab object");
    }
    Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
    for (Map.Entry<String, JsonNode> e : vocab.properties()) {
      if (!e.getValue().canConvertToInt()) {
        throw new IllegalArgumentException(
            "the vocabulary entry '" + e.getKey() + "' has no integer id");
      }
      ids.put(e.getKey(), e.getValue().intValue());
    }
    return new WordPieceTokenizer(Map.copyOf(ids));
  }

  /**
   * The ids of a text: {@code [CLS]}, at most {@code maxPieces} word pieces of the text, {@code [SEP]}.
   *
   * @param text any text; characters the model cannot represent become {@code [UNK]}
   * @param maxPieces how many word pieces to keep at most; those after are cut
   * @return the ids, of length 2 to {@code maxPieces + 2}
   */
  long[] encode(String text, int maxPieces) {
    List<Integer> pieces = new ArrayList<>();
    for (String word : words(normalize(text))) {
      addPieces(word, pieces);
      if (pieces.size() >= maxPieces) {
        break;
      }
    }
    int n = Math.min(pieces.size(), maxPieces);
    long[] ids = new long[n + 2];
    ids[0] = classifyId;
    for (int i = 0; i < n; i++) {
      ids[i + 1] = pieces.get(i);
    }
    ids[n + 1] = separatorId;
    return ids;
  }

  /** BertNormalizer with clean_text, handle_chinese_chars, strip_accents (from lowercase) and lowercase. */
  static String normalize(String text) {
    StringBuilder clean = new StringBuilder(text.length() + 8);
    text.codePoints()
        .forEach(
            c -> {
              if (c == 0 || c == 0xFFFD || isOther(c)) {
                return;
              }
              if (isWhitespace(c)) {
                clean.append(' ');
              } else if (isChinese(c)) {
                clean.append(' ').appendCodePoint(c).append(' ');
              } else {
                clean.appendCodePoint(c);
              }
            });
    String decomposed = Normalizer.normalize(clean, Normalizer.Form.NFD);
    StringBuilder stripped = new StringBuilder(decomposed.length());
    decomposed
        .codePoints()
        .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
        .forEach(stripped::appendCodePoint);
    return stripped.toString().toLowerCase(Locale.ROOT);
  }

  /** BertPreTokenizer: words split on white space, with each punctuation character a word of its own. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                flush(word, words);
              } else if (isPunctuation(c)) {
                flush(word, words);
                words.add(new String(Character.toChars(c)));
              } else {
                word.appendCodePoint(c);
              }
            });
    flush(word, words);
    return words;
  }

  private void addPieces(String word, List<Integer> out) {
    int chars = word.codePointCount(0, word.length());
    if (chars > MAX_WORD_CHARS) {
      out.add(unknownId);
      return;
    }
    List<Integer> pieces = new ArrayList<>();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Integer found = null;
      while (end > start) {
        String piece = word.substring(start, end);
        found = vocabulary.get(start > 0 ? CONTINUATION + piece : piece);
        if (found != null) {
          break;
        }
        end = word.offsetByCodePoints(end, -1);
      }
      if (found == null) {
        out.add(unknownId);
        return;
      }
      pieces.add(found);
      start = end;
    }
    out.addAll(pieces);
  }

  private static void flush(StringBuilder word, List<String> words) {
    if (word.length() > 0) {
      words.add(word.toString());
      word.setLength(0);
    }
  }

  private static int idOf(Map<String, Integer> vocabulary, String token) {
    Integer id = vocabulary.get(token);
    if (id == null) {
      throw new IllegalArgumentException("the tokenizer's vocabulary has no " + token + " token");
    }
    return id;
  }

  /** Tab, line feed and carriage return, and every Unicode white space (category Zs and the like). */
  private static boolean isWhitespace(int c) {
    return c == '\t'
        || c == '\n'
        || c == '\r'
        || Character.isWhitespace(c)
        || Character.isSpaceChar(c);
  }

  /** Control, format, surrogate, private-use and unassigned characters, but not tab, LF or CR. */
  private static boolean isOther(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  /** ASCII punctuation and symbols, and every Unicode punctuation category (Pc, Pd, Ps, Pe, Pi, Pf, Po). */
  private static boolean isPunctuation(int c) {
    if ((c >= 33 && c <= 47)
        || (c >= 58 && c <= 64)
        || (c >= 91 && c <= 96)
        || (c >= 123 && c <= 126)) {
      return true;
    }
    switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
        return true;
      default:
        return false;
    }
  }

  /** The CJK Unified Ideographs blocks and their extensions, and the compatibility ideographs. */
  private static boolean isChinese(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F)
        || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x2F800 && c <= 0x2FA1F);
  }
}
