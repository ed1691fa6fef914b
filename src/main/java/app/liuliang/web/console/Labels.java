package app.liuliang.web.console;

import java.util.Map;

/** Chinese names for the statuses, layers and kinds stored in English in the shared tables. */
final class Labels {

  private static final Map<String, String> LAYERS = Map.of(
      "stranger", "陌生", "potential", "潜在", "intent", "意向", "ordered", "已下单", "repeat", "复购",
      "super", "超级用户");

  private static final Map<String, String> SOP_STATUS = Map.of(
      "scheduled", "待发送", "sending", "发送中", "sent", "已发送", "confirmed", "员工已确认", "failed", "失败",
      "missed", "已错过", "removed", "已移除");

  private static final Map<String, String> SOP_KIND = Map.of(
      "moment", "朋友圈", "group", "群发", "personal", "一对一", "countdown", "倒计时", "recall", "复诊召回",
      "journey", "旅程");

  private static final Map<String, String> HANDOFF_STATE = Map.of(
      "open", "待通知", "notified", "已通知医生", "claimed", "医生已接手", "closed", "已结束", "escalated", "已升级");

  private static final Map<String, String> OUTBOX_STATUS = Map.of(
      "pending", "排队中", "sending", "发送中", "sent", "已发送", "failed", "失败", "expired", "已过期",
      "skipped", "已跳过", "cancelled", "已取消", "uncertain", "结果不明");

  private Labels() {
  }

  static String layer(String id) {
    return LAYERS.getOrDefault(id, id);
  }

  static String sopStatus(String id) {
    return SOP_STATUS.getOrDefault(id, id);
  }

  static String sopKind(String id) {
    return SOP_KIND.getOrDefault(id, id);
  }

  static String handoffState(String id) {
    return HANDOFF_STATE.getOrDefault(id, id);
  }

  static String outboxStatus(String id) {
    return OUTBOX_STATUS.getOrDefault(id, id);
  }

  private static final java.util.Map<String, String> REWARD_STATUS = java.util.Map.of("earned", "已获得（待通知）",
      "notified", "已通知", "redeemed", "已兑现");

  /** 已获得 / 已通知 / 已兑现 */
  static String rewardStatus(String status) {
    return REWARD_STATUS.getOrDefault(status, status);
  }
}
