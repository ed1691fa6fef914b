package app.liuliang.handoff;

import app.liuliang.handoff.HandoffRequest.PatientCard;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The doctor's app message: a {@code button_interaction} template card with the patient's name,
 * layer, tags and recent messages, and the buttons 接手 / 转给助理; and the card update after a click.
 */
final class HandoffCard {

  static final String CLAIM = "claim";
  static final String TO_ASSISTANT = "to_assistant";
  private static final Map<String, String> LAYER_NAMES = Map.of("stranger", "陌生", "potential", "潜在",
      "intent", "意向", "ordered", "已下单", "repeat", "复购", "super", "超级用户");
  private static final Map<String, String> REASONS = Map.of("pain", "疼痛/出血/肿胀", "complaint", "投诉",
      "medical", "医疗问题", "no_answer", "需要人工回答", "intent", "专业咨询", "to_assistant", "医生转给助理",
      "staff", "员工从聊天工具栏转来");

  private final ObjectMapper json;
  private final int agentId;

  HandoffCard(ObjectMapper json, int agentId) {
    this.json = json;
    this.agentId = agentId;
  }

  ObjectNode card(String toUser, String taskId, String reason, PatientCard patient, boolean escalated) {
    ObjectNode body = json.createObjectNode().put("touser", toUser).put("msgtype", "template_card").put("agentid", agentId)
        .put("enable_duplicate_check", 1).put("duplicate_check_interval", 1800);
    ObjectNode card = body.putObject("template_card").put("card_type", "button_interaction").put("task_id", taskId);
    card.putObject("source").put("desc", escalated ? "留量 · 超时转接" : "留量 · 患者转接");
    card.putObject("main_title").put("title", clip("患者咨询：" + name(patient), 36))
        .put("desc", clip(REASONS.getOrDefault(reason, reason), 44));
    StringBuilder recent = new StringBuilder();
    for (String line : patient.recentMessages()) {
      recent.append(recent.length() == 0 ? "" : "\n").append(line);
    }
    card.put("sub_title_text", clip(recent.toString(), 112));
    ArrayNode rows = card.putArray("horizontal_content_list");
    rows.addObject().put("keyname", "分层").put("value", LAYER_NAMES.getOrDefault(patient.layer(), patient.layer()));
    rows.addObject().put("keyname", "标签").put("value", clip(patient.tags().isEmpty() ? "无" : String.join("、", patient.tags()), 30));
    ArrayNode buttons = card.putArray("button_list");
    buttons.addObject().put("text", "接手").put("style", 1).put("key", CLAIM);
    buttons.addObject().put("text", "转给助理").put("style", 2).put("key", TO_ASSISTANT);
    return body;
  }

  ObjectNode update(String userId, String responseCode, String replaceName) {
    ObjectNode body = json.createObjectNode().put("agentid", agentId).put("response_code", responseCode);
    body.putArray("userids").add(userId);
    body.putObject("button").put("replace_name", replaceName);
    return body;
  }

  static String name(PatientCard patient) {
    return patient.name() == null || patient.name().isBlank() ? "微信用户" : patient.name();
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
