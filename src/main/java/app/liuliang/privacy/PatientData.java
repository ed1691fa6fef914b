package app.liuliang.privacy;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * One package's share of a patient's erasure: the tables it owns that can hold patient data, and how
 * it removes (or, where reports need the count, anonymises) the patient's rows in them. The erasure
 * test lists every table in the schema, so a new table holding patient data must be named here.
 */
public interface PatientData {

  /** The tables this owner erases from. */
  List<String> tables();

  /**
   * Removes or anonymises every row about {@code externalUserId} inside the caller's transaction; returns
   * rows touched per table. Nothing of the patient may remain: not the id, not a name, not a text.
   */
  Map<String, Integer> erase(Handle h, String externalUserId, long now);

  /** A marker that replaces the patient's id where a row stays for counting; unique per row, never derived from the id. */
  static String anonymous(long rowId) {
    return "erased-" + rowId;
  }
}
