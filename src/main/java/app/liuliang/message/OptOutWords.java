package app.liuliang.message;

import java.util.List;
import java.util.Locale;

/**
 * Recognises opt-out and resume messages. A short Latin word (TD) must be the whole message, so
 * "TDD" or an English sentence is not an opt-out; Chinese words may appear anywhere ("请不要再发了").
 */
final class OptOutWords {

  /** What a message asks for. */
  enum Ask { OPT_OUT, RESUME, NOTHING }

  private final List<String> optOut;
  private final List<String> resume;

  OptOutWords(MessageRules.OptOut config) {
    this.optOut = config.words().stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
    this.resume = config.resumeWords().stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
  }

  Ask classify(String text) {
    String message = text.trim().toLowerCase(Locale.ROOT);
    if (resume.stream().anyMatch(w -> matches(message, w))) {
      return Ask.RESUME;
    }
    return optOut.stream().anyMatch(w -> matches(message, w)) ? Ask.OPT_OUT : Ask.NOTHING;
  }

  private static boolean matches(String message, String word) {
    boolean latin = word.chars().allMatch(c -> c < 128);
    return latin && word.length() <= 3 ? message.equals(word) : message.contains(word);
  }
}
