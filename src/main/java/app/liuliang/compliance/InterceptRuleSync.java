package app.liuliang.compliance;

import app.liuliang.store.ClusterLock;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.InterceptRange;
import app.liuliang.wecom.WeComClient.InterceptRule;
import app.liuliang.wecom.WeComClient.InterceptRuleRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes WeCom hold exactly the intercept rules {@link InterceptRulePlan} asks for, as
 * {@code ChannelCodeReconciler} does for channel codes: adds the missing, updates the changed, deletes
 * Liuliang's rules no longer needed. Only rules named {@code 留量广告词<n>} are ever touched: the clinic's
 * own rules are left as they are. One node of a cluster runs it at a time (the store's lease). The corp's
 * rule list is read each round (one call) so a rule deleted by hand in the admin console comes back; a rule
 * whose stored id and hash match costs nothing more. The intent is stored before each add, and WeCom's list
 * is searched by name first, so a crash between the add and its record never makes a rule twice.
 */
public final class InterceptRuleSync {

  private static final Logger log = LoggerFactory.getLogger(InterceptRuleSync.class);
  /** Just under the 10-minute round: the node that ran keeps it while it lives; another takes over after. */
  static final Duration LEASE = Duration.ofMinutes(9);

  /** What one round did; {@code ran} false when another node holds the lease. */
  public record Report(boolean ran, int created, int updated, int deleted, int unchanged, int adopted,
      List<String> failed) {

    static final Report SKIPPED = new Report(false, 0, 0, 0, 0, 0, List.of());

    @Override
    public String toString() {
      if (!ran) {
        return "left to the node holding the lease";
      }
      return created + " created, " + updated + " updated, " + deleted + " deleted, " + unchanged + " unchanged"
          + (adopted > 0 ? ", " + adopted + " found already right" : "")
          + (failed.isEmpty() ? "" : ", " + failed.size() + " failed: " + failed);
    }
  }

  private final WeComClient wecom;
  private final InterceptRuleStore store;
  private final ObjectMapper json;
  private final Clock clock;
  private final ClusterLock lease;

  InterceptRuleSync(WeComClient wecom, InterceptRuleStore store, ObjectMapper json, Clock clock, String node) {
    this.wecom = wecom;
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.lease = new ClusterLock(store.jdbi(), "intercept-rules", node, LEASE, clock);
  }

  /**
   * One round; never throws for WeCom's sake (what failed is recorded and tried again next round). One at a
   * time on this node too: the lease keeps only the other nodes out.
   */
  public synchronized Report reconcile(List<InterceptRule> wanted) {
    if (!lease.tryHold()) {
      return Report.SKIPPED;
    }
    Tally tally = new Tally();
    List<InterceptRuleRef> corp;
    try {
      corp = wecom.listInterceptRules();
    } catch (WeComApiException e) {
      log.warn("intercept rules not reconciled, the list failed: {}; tried again next round", e.getMessage());
      return new Report(true, 0, 0, 0, 0, 0, List.of("get_intercept_rule_list (" + e.getMessage() + ")"));
    }
    Map<String, List<String>> ours = new LinkedHashMap<>();
    for (InterceptRuleRef ref : corp) {
      if (InterceptRulePlan.ours(ref.name())) {
        ours.computeIfAbsent(ref.name(), n -> new ArrayList<>()).add(ref.ruleId());
      }
    }
    Map<String, InterceptRuleStore.Row> stored = store.all().stream()
        .collect(Collectors.toMap(InterceptRuleStore.Row::name, Function.identity()));
    Set<String> names = new HashSet<>();
    for (InterceptRule rule : wanted) {
      names.add(rule.name());
      List<String> ids = ours.getOrDefault(rule.name(), List.of());
      InterceptRuleStore.Row row = stored.get(rule.name());
      try {
        sync(rule, ids, row, tally);
      } catch (WeComApiException e) {
        String spec = spec(rule);
        store.failed(rule.name(), ids.isEmpty() ? null : ids.get(0), spec, DigestUtils.sha256Hex(spec), e.getMessage(),
            clock.millis());
        tally.failed.add(rule.name() + " (" + e.getMessage() + ")");
        log.warn("intercept rule {}: {}; tried again next round", rule.name(), e.getMessage());
      }
    }
    for (Map.Entry<String, List<String>> surplus : ours.entrySet()) {
      if (!names.contains(surplus.getKey())) {
        retire(surplus.getKey(), surplus.getValue(), tally);
      }
    }
    for (String name : stored.keySet()) {
      if (!names.contains(name) && !ours.containsKey(name)) {
        store.deleted(name);   // already gone from WeCom (deleted by hand, or before a crash)
      }
    }
    Report report = tally.report();
    log.info("intercept rules: {}", report);
    return report;
  }

  private void sync(InterceptRule rule, List<String> ids, InterceptRuleStore.Row row, Tally tally)
      throws WeComApiException {
    String spec = spec(rule);
    String hash = DigestUtils.sha256Hex(spec);
    if (ids.isEmpty()) {
      store.creating(rule.name(), spec, hash, clock.millis());
      String ruleId = wecom.addInterceptRule(rule);
      store.active(rule.name(), ruleId, spec, hash, clock.millis());
      tally.created++;
      log.info("intercept rule {} created (rule_id {}, {} words)", rule.name(), ruleId, rule.words().size());
      return;
    }
    String ruleId = ids.get(0);
    for (String twin : ids.subList(1, ids.size())) {
      // The same name twice (an add that was answered but never recorded, then made again): one is enough.
      wecom.deleteInterceptRule(twin);
      tally.deleted++;
    }
    if (row != null && InterceptRuleStore.ACTIVE.equals(row.status()) && ruleId.equals(row.ruleId())
        && hash.equals(row.specHash())) {
      tally.unchanged++;
      return;
    }
    InterceptRule current = wecom.getInterceptRule(ruleId);
    if (same(current, rule)) {
      store.active(rule.name(), ruleId, spec, hash, clock.millis());
      tally.adopted++;
      return;
    }
    InterceptRange add = minus(rule.range(), current.range());
    InterceptRange remove = minus(current.range(), rule.range());
    wecom.updateInterceptRule(ruleId, rule, add, remove);
    store.active(rule.name(), ruleId, spec, hash, clock.millis());
    tally.updated++;
    log.info("intercept rule {} updated (rule_id {}, {} words)", rule.name(), ruleId, rule.words().size());
  }

  /** A Liuliang rule no longer needed (fewer words than before): deleted in WeCom and forgotten. */
  private void retire(String name, List<String> ids, Tally tally) {
    try {
      for (String ruleId : ids) {
        wecom.deleteInterceptRule(ruleId);
        tally.deleted++;
      }
      store.deleted(name);
      log.info("intercept rule {} deleted: no longer needed", name);
    } catch (WeComApiException e) {
      tally.failed.add(name + " (" + e.getMessage() + ")");
      log.warn("intercept rule {} not deleted: {}; tried again next round", name, e.getMessage());
    }
  }

  /** What WeCom is asked for, as stored; its hash tells a changed rule from an unchanged one. */
  String spec(InterceptRule rule) {
    ObjectNode spec = json.createObjectNode().put("rule_name", rule.name()).put("intercept_type", rule.interceptType());
    rule.words().forEach(spec.putArray("word_list")::add);
    rule.semantics().forEach(spec.putArray("semantics_list")::add);
    ObjectNode range = spec.putObject("applicable_range");
    rule.range().users().forEach(range.putArray("user_list")::add);
    rule.range().departments().forEach(range.putArray("department_list")::add);
    return spec.toString();
  }

  /** Same words, kind, semantics and range, whatever the order WeCom lists them in. */
  private static boolean same(InterceptRule current, InterceptRule wanted) {
    return wanted.name().equals(current.name()) && wanted.interceptType() == current.interceptType()
        && Set.copyOf(wanted.words()).equals(Set.copyOf(current.words()))
        && Set.copyOf(wanted.semantics()).equals(Set.copyOf(current.semantics()))
        && Set.copyOf(wanted.range().users()).equals(Set.copyOf(current.range().users()))
        && Set.copyOf(wanted.range().departments()).equals(Set.copyOf(current.range().departments()));
  }

  /** WeCom's update takes the range's change, not the range: what {@code a} has and {@code b} lacks. */
  private static InterceptRange minus(InterceptRange a, InterceptRange b) {
    return new InterceptRange(a.users().stream().filter(u -> !b.users().contains(u)).toList(),
        a.departments().stream().filter(d -> !b.departments().contains(d)).toList());
  }

  /** Gives the lease back (the node is stopping), so another node need not wait for it to lapse. */
  void release() {
    lease.release();
  }

  private static final class Tally {
    int created;
    int updated;
    int deleted;
    int unchanged;
    int adopted;
    final List<String> failed = new ArrayList<>();

    Report report() {
      return new Report(true, created, updated, deleted, unchanged, adopted, List.copyOf(failed));
    }
  }
}
