package app.liuliang.compliance;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code intercept:} block of {@code config/compliance.yaml}: whether the words are synced to WeCom as
 * intercept rules (敏感词) that act on staff's own chats, what WeCom does on a hit, and for whom.
 *
 * @param sync          true: kept in WeCom by {@link InterceptRuleSync}; false: no call at all
 * @param interceptType {@code warn} (WeCom's 2, 仅警告) or {@code block} (1, 警告并拦截)
 * @param semantics     WeCom's built-in kinds to intercept as well: 手机号, 邮箱, 红包
 * @param users         staff userids the rules apply to
 * @param departments   department ids the rules apply to (1 is the whole corp)
 * @param rules         ids of the word rules whose words are synced; empty: every rule's
 */
public record InterceptSettings(Boolean sync, String interceptType, List<String> semantics, List<String> users,
    List<Integer> departments, List<String> rules) {

  /** No {@code intercept:} block: nothing is synced. */
  static final InterceptSettings OFF = new InterceptSettings(false, null, null, null, null, null);

  /** WeCom's codes for intercept_type. */
  private static final Map<String, Integer> TYPES = Map.of("block", 1, "warn", 2);
  /** WeCom's codes for semantics_list. */
  private static final Map<String, Integer> SEMANTICS = Map.of("手机号", 1, "邮箱", 2, "红包", 3);
  /** WeCom's limit for each of user_list and department_list. */
  static final int MAX_RANGE = 1000;

  public InterceptSettings {
    sync = sync != null && sync;
    interceptType = interceptType == null ? "warn" : interceptType;
    semantics = semantics == null ? List.of() : List.copyOf(semantics);
    users = users == null ? List.of() : List.copyOf(users);
    departments = departments == null ? List.of(1) : List.copyOf(departments);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** WeCom's intercept_type: 1 warn and block, 2 warn only. */
  public int interceptTypeCode() {
    return TYPES.getOrDefault(interceptType, 2);
  }

  /** WeCom's semantics_list codes, in file order. */
  public List<Integer> semanticsCodes() {
    return semantics.stream().filter(SEMANTICS::containsKey).map(SEMANTICS::get).toList();
  }

  static void validate(YamlDocument<AdvertisingWords> doc, Problems problems) {
    AdvertisingWords words = doc.value();
    InterceptSettings settings = words.intercept();
    String at = "/intercept";
    if (!TYPES.containsKey(settings.interceptType())) {
      problems.add(doc.problem(at + "/intercept_type", "intercept_type is warn or block",
          "warn: WeCom warns the staff member; block: the message is not sent either"));
    }
    for (int i = 0; i < settings.semantics().size(); i++) {
      if (!SEMANTICS.containsKey(settings.semantics().get(i))) {
        problems.add(doc.problem(at + "/semantics/" + i, "unknown semantics 「" + settings.semantics().get(i) + "」",
            "WeCom knows 手机号, 邮箱 and 红包"));
      }
    }
    if (settings.users().size() > MAX_RANGE || settings.departments().size() > MAX_RANGE) {
      problems.add(doc.problem(at, "at most " + MAX_RANGE + " users and " + MAX_RANGE + " departments",
          "WeCom's limit for a rule's applicable range; a parent department covers its children"));
    }
    if (settings.sync() && settings.users().isEmpty() && settings.departments().isEmpty()) {
      problems.add(doc.problem(at, "the rules apply to no one", "e.g. departments: [1] for the whole corp"));
    }
    Set<String> ids = words.rules().stream().map(AdvertisingWords.Rule::id).collect(Collectors.toSet());
    for (int i = 0; i < settings.rules().size(); i++) {
      if (!ids.contains(settings.rules().get(i))) {
        problems.add(doc.problem(at + "/rules/" + i, "no rule with id " + settings.rules().get(i),
            "one of " + ids.stream().sorted().toList()));
      }
    }
    int distinct = InterceptRulePlan.words(words).size();
    int needed = InterceptRulePlan.rulesNeeded(distinct);
    if (needed > InterceptRulePlan.MAX_RULES) {
      problems.add(doc.problem(at, distinct + " words need " + needed + " intercept rules, WeCom allows "
          + InterceptRulePlan.MAX_RULES + " a corp", "at most " + InterceptRulePlan.MAX_RULES * InterceptRulePlan.MAX_WORDS
          + " distinct words; choose fewer rules with intercept.rules"));
    }
  }
}
