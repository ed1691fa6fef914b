package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.wecom.OutboxItem;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class OptOutGuardTest {

  private static OutboxItem item(String purpose, String ext, boolean patientFacing) {
    return new OutboxItem(1, "k", purpose, "/cgi-bin/x", null, ext, patientFacing, false, 0, 0, 0, "sending", 0,
        null, null, null, null, false);
  }

  @Test
  void optedOutContactGetsDirectRepliesButNoPlannedSends() throws Exception {
    try (Database db = Database.open(Files.createTempDirectory("guard"))) {
      db.jdbi().useHandle(h -> h.execute("INSERT INTO contacts (external_userid, opted_out, added_at, updated_at) "
          + "VALUES ('wmOut', 1, 0, 0), ('wmIn', 0, 0, 0)"));
      OptOutGuard guard = new OptOutGuard(db.jdbi());

      for (String planned : new String[] {"sop.moment", "campaign.cleaning", "journey.after_visit", "broadcast.news"}) {
        assertThat(guard.vetoReason(item(planned, "wmOut", true))).as(planned).contains("contact opted out");
        assertThat(guard.vetoReason(item(planned, "wmIn", true))).as(planned).isEmpty();
      }
      for (String direct : new String[] {"message.faq", "message.opt_out", "handoff.patient_line", "welcome"}) {
        assertThat(guard.vetoReason(item(direct, "wmOut", true))).as(direct).isEmpty();
      }
      assertThat(guard.vetoReason(item("handoff.card", null, false))).isEmpty();
    }
  }
}
