package app.liuliang.transfer;

import app.liuliang.account.Accounts;
import app.liuliang.sop.AdminNotifier;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily look at {@code get_unassigned_list}: departed staff whose customers nobody took over yet, told
 * to the admins in one app message (once a day: the outbox key carries the date), with the command that
 * moves them. Nothing to tell, nothing sent.
 */
final class UnassignedCheck {

  private static final Logger log = LoggerFactory.getLogger(UnassignedCheck.class);

  private final Audience audience;
  private final AdminNotifier admins;
  private final Accounts accounts;
  private final Clock clock;
  private final ZoneId zone;

  UnassignedCheck(Audience audience, AdminNotifier admins, Accounts accounts, Clock clock, ZoneId zone) {
    this.audience = audience;
    this.admins = admins;
    this.accounts = accounts;
    this.clock = clock;
    this.zone = zone;
  }

  /** Runs the check; the number of unassigned customers found. */
  int run() throws WeComApiException {
    List<WeComClient.Unassigned> all = audience.allUnassigned();
    if (all.isEmpty()) {
      return 0;
    }
    Map<String, Long> byMember = Audience.byMember(all);
    LocalDate today = LocalDate.now(clock.withZone(zone));
    admins.tell("transfer.unassigned", "transfer:unassigned:" + today, compose(byMember));
    log.info("unassigned check: {} customers of {} departed staff told to the admins", all.size(), byMember.size());
    return all.size();
  }

  String compose(Map<String, Long> byMember) {
    StringBuilder text = new StringBuilder("【离职员工客户待分配】以下离职员工的客户还没有分配给同事：");
    byMember.forEach((member, count) -> text.append("\n· ").append(name(member)).append("：").append(count).append(" 位"));
    text.append("\n请在控制台「继承」页，或用 liuliang staff transfer --from <离职员工> --to <接替同事> 分配。");
    return text.toString();
  }

  private String name(String userId) {
    return accounts == null ? userId : accounts.find(userId).map(a -> a.nickname() + "（" + userId + "）").orElse(userId);
  }
}
