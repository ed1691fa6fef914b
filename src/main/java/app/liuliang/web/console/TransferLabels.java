package app.liuliang.web.console;

import java.util.Map;

/** Chinese names for the statuses of staff transfers (继承). */
final class TransferLabels {

  private static final Map<String, String> CUSTOMER = Map.of(
      "queued", "待提交", "submitting", "提交中", "waiting", "等待接替（24 小时内）", "done", "已接替",
      "refused", "客户拒绝", "limit", "接替同事客户数已达上限", "none", "无接替记录",
      "twice_in_90_days", "90 天内已转接 2 次，未再提交", "failed", "企业微信拒绝");

  private static final Map<String, String> JOB = Map.of(
      "submitting", "提交中", "following", "跟进结果中", "done", "已完成");

  private static final Map<String, String> GROUP = Map.of(
      "queued", "待提交", "submitting", "提交中", "done", "已转移", "failed", "未转移");

  private static final Map<String, String> KIND = Map.of("onjob", "在职继承", "resigned", "离职继承");

  private TransferLabels() {
  }

  static String customer(String status) {
    return CUSTOMER.getOrDefault(status, status);
  }

  static String job(String status) {
    return JOB.getOrDefault(status, status);
  }

  static String group(String status) {
    return GROUP.getOrDefault(status, status);
  }

  static String kind(String kind) {
    return KIND.getOrDefault(kind, kind);
  }
}
