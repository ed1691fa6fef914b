package app.liuliang.handoff;

import app.liuliang.privacy.PatientData;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Hand-offs stay as anonymous rows (the console counts them per doctor and state), without the patient,
 * the card (name, tags, recent messages) or the source message; open ones are closed, so no escalation runs.
 */
public final class HandoffErasure implements PatientData {

  @Override
  public List<String> tables() {
    return List.of("handoffs", "handoff_actions");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    // What was done stays for the counts (who claimed, when); what was said to the patient goes.
    int actions = h.createUpdate("UPDATE handoff_actions SET detail = NULL WHERE handoff_id IN "
            + "(SELECT id FROM handoffs WHERE external_userid = :ext)")
        .bind("ext", externalUserId).execute();
    int rows = h.createUpdate("UPDATE handoffs SET external_userid = 'erased-' || id, card = NULL, source_msgid = NULL, "
            + "response_code = NULL, state = CASE WHEN state IN ('closed', 'escalated') THEN state ELSE 'closed' END, "
            + "closed_at = COALESCE(closed_at, :now) WHERE external_userid = :ext")
        .bind("ext", externalUserId).bind("now", now).execute();
    return Map.of("handoffs", rows, "handoff_actions", actions);
  }
}
