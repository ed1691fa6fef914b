package app.liuliang.message;

import app.liuliang.message.FaqLibrary.FaqEntry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Scores FAQ entries against a message. Confident means: the best entry scores at least
 * {@code min_score} and beats the runner-up by at least {@code margin} (a keyword found scores 1,
 * a pattern 2). A tie or a weak match is not confident: a person answers instead.
 */
final class FaqMatcher {

  /** The outcome for one message: the best entry (if any), its score and the runner-up's. */
  record Match(Optional<FaqEntry> best, int score, int runnerUp, boolean confident) {
  }

  private record Compiled(FaqEntry entry, List<String> keywords, List<Pattern> patterns) {
  }

  private final List<Compiled> entries;
  private final int minScore;
  private final int margin;

  FaqMatcher(FaqLibrary library) {
    this.entries = library.entries().stream().map(e -> new Compiled(e,
        e.keywords().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList(),
        e.patterns().stream().map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)).toList())).toList();
    this.minScore = library.minScore();
    this.margin = library.margin();
  }

  Match match(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    FaqEntry best = null;
    int bestScore = 0;
    int second = 0;
    for (Compiled c : entries) {
      int score = (int) c.keywords().stream().filter(lower::contains).count()
          + 2 * (int) c.patterns().stream().filter(p -> p.matcher(text).find()).count();
      if (score > bestScore) {
        second = bestScore;
        bestScore = score;
        best = c.entry();
      } else if (score > second) {
        second = score;
      }
    }
    boolean confident = best != null && bestScore >= minScore && bestScore - second >= margin;
    return new Match(Optional.ofNullable(best), bestScore, second, confident);
  }
}
