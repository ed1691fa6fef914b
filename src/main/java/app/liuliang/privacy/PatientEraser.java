package app.liuliang.privacy;

import app.liuliang.callback.InboxErasure;
import app.liuliang.contact.ContactErasure;
import app.liuliang.handoff.HandoffErasure;
import app.liuliang.message.MessageErasure;
import app.liuliang.sop.SopErasure;
import app.liuliang.store.Database;
import app.liuliang.wecom.OutboxErasure;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets a patient: every owner's {@link PatientData} in one durable transaction (all or nothing),
 * pending sends cancelled, and one anonymous row in {@code erasures} (who, when, rows per table, channel
 * and layer for the counts). {@code secure_delete} overwrites the freed pages, and a checkpoint moves the
 * result out of the WAL, so the patient is not left in the file's free space either. Backups taken
 * before keep the patient until they are rotated out ({@code backup.keep} days).
 */
public final class PatientEraser {

  private static final Logger log = LoggerFactory.getLogger(PatientEraser.class);

  private final Database database;
  private final Clock clock;
  private final ObjectMapper json;
  private final ContactErasure contacts = new ContactErasure();
  private final List<PatientData> owners;

  public PatientEraser(Database database, ObjectMapper json, Clock clock) {
    this.database = database;
    this.clock = clock;
    this.json = json;
    this.owners = List.of(new InboxErasure(), new OutboxErasure(json), new MessageErasure(), new HandoffErasure(),
        new SopErasure(), new app.liuliang.channel.ChannelErasure(),
        new app.liuliang.group.GroupErasure(), new app.liuliang.transfer.TransferErasure(),
        new app.liuliang.sidebar.SidebarErasure(), contacts);
  }

  /** What an erasure did: whether the store knew the patient, the audit row, rows touched per table. */
  public record Outcome(boolean known, long auditId, Map<String, Integer> rows) {
    public int total() {
      return rows.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** Patients erased so far (audit rows of erasures that found a profile): for the reports' totals. */
  public long erasedPatients() {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM erasures WHERE channel IS NOT NULL")
        .mapTo(Long.class).one());
  }

  /** Every table some owner erases from: what the erasure test holds the schema against. */
  public List<String> coveredTables() {
    List<String> tables = new ArrayList<>();
    owners.forEach(o -> tables.addAll(o.tables()));
    return tables;
  }

  /**
   * Erases the patient. {@code erasedBy} is who asked (console address, OS user): kept in the audit row,
   * so it must not name the patient.
   */
  public Outcome forget(String externalUserId, String erasedBy) {
    if (externalUserId == null || externalUserId.isBlank()) {
      throw new IllegalArgumentException("external_userid is empty");
    }
    long now = clock.millis();
    Outcome outcome = database.durableJdbi().withHandle(h -> {
      h.execute("PRAGMA secure_delete = ON");
      try {
        return h.inTransaction(tx -> {
          Optional<ContactErasure.Counted> counted = contacts.counted(tx, externalUserId);
          Map<String, Integer> rows = new TreeMap<>();
          for (PatientData owner : owners) {
            owner.erase(tx, externalUserId, now).forEach((table, n) -> rows.merge(table, n, Integer::sum));
          }
          boolean known = counted.isPresent() || rows.values().stream().anyMatch(n -> n > 0);
          long id = tx.createUpdate("INSERT INTO erasures (erased_at, erased_by, channel, layer, rows) "
                  + "VALUES (:at, :by, :channel, :layer, :rows)")
              .bind("at", now).bind("by", erasedBy)
              .bind("channel", counted.map(ContactErasure.Counted::channel).orElse(null))
              .bind("layer", counted.map(ContactErasure.Counted::layer).orElse(null))
              .bind("rows", toJson(rows))
              .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
          return new Outcome(known, id, rows);
        });
      } finally {
        h.execute("PRAGMA secure_delete = OFF");
      }
    });
    checkpoint();
    // The audit id, not the patient's: the log is kept for days and must not undo the erasure.
    log.info("erasure {} by {}: {} rows erased or anonymised", outcome.auditId(), erasedBy, outcome.total());
    return outcome;
  }

  private void checkpoint() {
    try {
      database.jdbi().useHandle(h -> h.execute("PRAGMA wal_checkpoint(TRUNCATE)"));
    } catch (RuntimeException e) {
      log.warn("checkpoint after an erasure did not complete ({}); SQLite's next checkpoint finishes it", e.getMessage());
    }
  }

  private String toJson(Map<String, Integer> rows) {
    try {
      return json.writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
