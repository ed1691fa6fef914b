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

  /**
   * What WeCom's per-customer / per-group errcodes mean: 40096 and 84061 from WxJava's WxCpErrorMsgEnum, 90500
   * from doc 96334, 40129 from third-party docs quoting WeCom; 40128 for the 90-day limit is unverified.
   */
  private static final Map<Integer, String> ERRCODE = Map.of(
      40096, "不合法的外部联系人 userid", 84061, "不存在外部联系人的关系", 40129, "客户正在转接中",
      40128, "可能是 90 天内已转接 2 次", 90500, "群主未离职");

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

  /** "错误码 N（meaning）", or "" without one. */
  static String errcode(Integer errcode) {
    if (errcode == null) {
      return "";
    }
    String meaning = ERRCODE.get(errcode);
    return "错误码 " + errcode + (meaning == null ? "" : "（" + meaning + "）");
  }

  static String kind(String kind) {
    return KIND.getOrDefault(kind, kind);
  }
}
