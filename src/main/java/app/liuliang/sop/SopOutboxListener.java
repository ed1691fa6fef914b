package app.liuliang.sop;

import app.liuliang.wecom.OutboxItem;
import app.liuliang.wecom.OutboxListener;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Learns each SOP broadcast's msgid (add_msg_template) or jobid (add_moment_task) when the outbox
 * sent it, and its failure when it gave up; the item's status follows its broadcasts.
 */
final class SopOutboxListener implements OutboxListener {

  private final SopEngine engine;

  SopOutboxListener(SopEngine engine) {
    this.engine = engine;
  }

  @Override
  public boolean accepts(String purpose) {
    return purpose.startsWith("sop.") && !purpose.equals("sop.admin") && !purpose.equals("sop.remind");
  }

  @Override
  public void onSent(OutboxItem item, JsonNode response) throws Exception {
    String ref = response.hasNonNull("jobid") ? response.path("jobid").asText() : response.path("msgid").asText(null);
    String detail = response.path("fail_list").isArray() && !response.path("fail_list").isEmpty()
        ? "fail_list " + response.path("fail_list").size() : null;
    engine.broadcastSent(item.idemKey(), ref, detail);
  }

  @Override
  public void onGaveUp(OutboxItem item) {
    engine.broadcastFailed(item.idemKey(), item.status() + (item.errcode() == null ? "" : " errcode=" + item.errcode()));
  }
}
