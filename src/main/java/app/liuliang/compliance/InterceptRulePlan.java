package app.liuliang.compliance;

import app.liuliang.wecom.WeComClient.InterceptRange;
import app.liuliang.wecom.WeComClient.InterceptRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The intercept rules WeCom should hold for the word list: every word once, in file order, cut into rules of
 * {@value #MAX_WORDS} words named {@code 留量广告词1}, {@code 留量广告词2}... File order (not sorted) so that a
 * word added at the end changes only the last rule. Patterns and {@code except} phrases have no WeCom
 * counterpart and are not synced.
 */
public final class InterceptRulePlan {

  /** Liuliang's rules are named this and a number; no other rule of the corp is ever touched. */
  public static final String PREFIX = "留量广告词";
  /** WeCom's limit of words in one rule. */
  static final int MAX_WORDS = 300;
  /** WeCom's limit of rules in a corp (the clinic's own included, so fewer may fit in practice). */
  static final int MAX_RULES = 100;
  private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "[1-9][0-9]*");

  private InterceptRulePlan() {
  }

  /** True for a name Liuliang gives its rules; a clinic's 「留量广告词（手工）」 is not one. */
  public static boolean ours(String ruleName) {
    return ruleName != null && OURS.matcher(ruleName).matches();
  }

  /** The words to sync: the chosen rules' (all when none chosen), each once, in file order. */
  static List<String> words(AdvertisingWords list) {
    List<String> chosen = list.intercept().rules();
    Set<String> words = new LinkedHashSet<>();
    for (AdvertisingWords.Rule rule : list.rules()) {
      if (chosen.isEmpty() || chosen.contains(rule.id())) {
        for (String word : rule.words()) {
          if (word != null && !word.isBlank()) {
            words.add(word);
          }
        }
      }
    }
    return List.copyOf(words);
  }

  static int rulesNeeded(int words) {
    return (words + MAX_WORDS - 1) / MAX_WORDS;
  }

  /** The rules, in name order; empty when sync is off (then nothing is asked of WeCom at all). */
  public static List<InterceptRule> plan(AdvertisingWords list) {
    InterceptSettings settings = list.intercept();
    if (!settings.sync()) {
      return List.of();
    }
    List<String> words = words(list);
    if (rulesNeeded(words.size()) > MAX_RULES) {
      throw new IllegalArgumentException(words.size() + " words need more than " + MAX_RULES + " intercept rules");
    }
    InterceptRange range = new InterceptRange(settings.users(), settings.departments());
    List<InterceptRule> rules = new ArrayList<>();
    for (int from = 0, n = 1; from < words.size(); from += MAX_WORDS, n++) {
      rules.add(new InterceptRule(PREFIX + n, words.subList(from, Math.min(words.size(), from + MAX_WORDS)),
          settings.interceptTypeCode(), range, settings.semanticsCodes()));
    }
    return rules;
  }
}
