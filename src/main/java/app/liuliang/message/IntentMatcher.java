package app.liuliang.message;

import app.liuliang.message.MessageRules.IntentRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Finds the intents a patient's text expresses: every rule with a keyword or pattern in it. */
final class IntentMatcher {

  private record Compiled(IntentRule rule, List<String> keywords, List<Pattern> patterns) {
  }

  private final List<Compiled> rules;

  IntentMatcher(List<IntentRule> rules) {
    this.rules = rules.stream().map(r -> new Compiled(r,
        r.keywords().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList(),
        r.patterns().stream().map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)).toList())).toList();
  }

  /** Matching rules in config order. */
  List<IntentRule> match(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    List<IntentRule> found = new ArrayList<>();
    for (Compiled c : rules) {
      if (c.keywords().stream().anyMatch(lower::contains) || c.patterns().stream().anyMatch(p -> p.matcher(text).find())) {
        found.add(c.rule());
      }
    }
    return found;
  }
}
