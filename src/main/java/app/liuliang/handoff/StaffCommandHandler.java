package app.liuliang.handoff;

import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.handoff.HandoffRepository.Row;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Staff texting the app (a member's message, not kf): {@code /handoffs} lists their hand-offs still
 * to answer; anything else gets a short help text. Replies are app messages through the outbox.
 */
final class StaffCommandHandler implements CallbackHandler {

  private static final Map<String, String> STATES = Map.of("open", "等待上班", "notified", "待接手",
      "claimed", "已接手", "escalated", "已转助理");
  static final String HELP = "留量小助手可以帮您：\n发送 /handoffs 查看转给您、还没处理完的患者咨询。\n"
      + "患者转接会以卡片通知您，点「接手」即可在微信客服里回复患者。";

  private final Handoffs handoffs;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;
  private final int agentId;

  StaffCommandHandler(Handoffs handoffs, Outbox outbox, ObjectMapper json, Clock clock, int agentId) {
    this.handoffs = handoffs;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
    this.agentId = agentId;
  }

  @Override
  public boolean accepts(CallbackEvent event) {
    String from = event.field("FromUserName", "");
    return "text".equals(event.msgType()) && !from.isEmpty() && event.field("OpenKfId") == null;
  }

  @Override
  public void handle(CallbackEvent event) {
    String user = event.field("FromUserName");
    String text = event.field("Content", "").trim();
    String reply = "/handoffs".equalsIgnoreCase(text) ? list(user) : HELP;
    ObjectNode body = json.createObjectNode().put("touser", user).put("msgtype", "text")
        .put("agentid", agentId);
    body.putObject("text").put("content", reply);
    Instant now = clock.instant();
    outbox.enqueue(OutboxRequest.internal("staff-reply:" + event.eventKey(), "handoff.staff_reply",
        Handoffs.MESSAGE_SEND, body, now, now.plus(Duration.ofHours(1))));
  }

  private String list(String user) {
    List<Row> rows = handoffs.activeFor(user);
    if (rows.isEmpty()) {
      return "目前没有等您处理的患者咨询。";
    }
    StringBuilder out = new StringBuilder("您有 " + rows.size() + " 个患者咨询待处理：");
    for (Row row : rows) {
      out.append("\n#").append(row.id()).append(' ').append(HandoffCard.name(handoffs.cardOf(row)))
          .append(" · ").append(STATES.getOrDefault(row.state(), row.state()))
          .append(" · ").append(row.reason());
    }
    return out.toString();
  }
}
