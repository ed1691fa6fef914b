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

  private static final Map<String, String> CONTACT_STATUS = Map.of(
      "active", "正常", "lost", "已流失", "removed", "已删除");

  /** Hand-off reasons: the intent ids of intents.yaml and the handler's own reasons. */
  private static final Map<String, String> HANDOFF_REASON = Map.ofEntries(
      Map.entry("pain", "疼痛/急症"), Map.entry("complaint", "投诉"), Map.entry("medical", "医疗问题"),
      Map.entry("implant", "种植咨询"), Map.entry("ortho", "正畸咨询"), Map.entry("whitening", "美白咨询"),
      Map.entry("cleaning", "洁牙咨询"), Map.entry("kids", "儿童口腔"), Map.entry("price", "价格咨询"),
      Map.entry("intent", "意向咨询"), Map.entry("no_answer", "机器人无法回答"), Map.entry("to_assistant", "转给助理"),
      Map.entry("staff", "员工转交"));

  private static final Map<String, String> HANDOFF_ACTION = Map.of(
      "claim", "接手", "reassign", "转给其他医生", "to_assistant", "转给助理", "close", "结束", "answer", "回复患者");

  private static final Map<String, String> OUTBOX_PURPOSE = Map.ofEntries(
      Map.entry("welcome", "欢迎语"), Map.entry("welcome.fallback", "欢迎语（补发）"), Map.entry("tag", "打标签"),
      Map.entry("handoff.card", "转接卡片"), Map.entry("handoff.card_update", "更新转接卡片"),
      Map.entry("handoff.transfer", "转交客服会话"), Map.entry("handoff.end_session", "结束客服会话"),
      Map.entry("handoff.patient_line", "转接提示"), Map.entry("handoff.out_of_hours", "非工作时间提示"),
      Map.entry("handoff.answer", "员工回复"), Map.entry("handoff.staff_reply", "员工助手回复"),
      Map.entry("message.faq", "自动回答"), Map.entry("message.greeting", "进入会话问候"),
      Map.entry("message.opt_out", "退订确认"), Map.entry("message.resume", "恢复订阅确认"),
      Map.entry("koc.notify", "推荐达人通知"), Map.entry("sop.personal", "SOP 一对一"), Map.entry("sop.recall", "复诊召回"),
      Map.entry("sop.journey", "旅程消息"), Map.entry("sop.group", "SOP 群发"), Map.entry("sop.moment", "朋友圈"),
      Map.entry("sop.remind", "SOP 提醒员工"), Map.entry("sop.admin", "SOP 管理员通知"));

  private static final Map<String, String> WELCOME_STATUS = Map.of(
      "queued", "排队中", "sent", "已发送", "used", "欢迎码已被使用", "expired", "欢迎码已过期", "failed", "失败",
      "too_late", "来不及发送", "skipped", "已跳过", "cancelled", "已取消", "uncertain", "结果不明");

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

  static String contactStatus(String id) {
    return CONTACT_STATUS.getOrDefault(id, id);
  }

  /** A reason or intent list ({@code implant,price}) in Chinese; free text stays as it is. */
  static String handoffReason(String ids) {
    if (ids == null || ids.isEmpty()) {
      return "";
    }
    return String.join("、", java.util.Arrays.stream(ids.split(","))
        .map(String::strip).map(id -> id.startsWith("red_flag:") ? "急症红旗" : HANDOFF_REASON.getOrDefault(id, id))
        .distinct().toList());
  }

  static String handoffAction(String id) {
    return HANDOFF_ACTION.getOrDefault(id, id);
  }

  static String outboxPurpose(String id) {
    if (OUTBOX_PURPOSE.containsKey(id)) {
      return OUTBOX_PURPOSE.get(id);
    }
    return id.startsWith("sop.") ? "SOP" : id;
  }

  static String welcomeStatus(String id) {
    return WELCOME_STATUS.getOrDefault(id, id);
  }
}
