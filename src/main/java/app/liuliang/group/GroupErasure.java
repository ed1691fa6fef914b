package app.liuliang.group;

import app.liuliang.privacy.PatientData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The customer groups' share of an erasure: the patient's memberships and join/leave history stay
 * as anonymous rows (a group's size and its joins per day still add up), churn alerts naming them
 * are dropped, and a group named after them loses the name. Runs before the contact tables, which still hold the name it looks for.
 */
public final class GroupErasure implements PatientData {

  @Override
  public List<String> tables() {
    return List.of("group_members", "group_member_changes", "churn_alerts", "group_chats");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    Map<String, Integer> rows = new LinkedHashMap<>();
    String anonymous = "erased-" + UUID.randomUUID();
    rows.put("group_members", h.createUpdate("UPDATE group_members SET member_id = :anon, unionid = NULL, invitor = NULL, "
            + "group_nickname = '', name = '', state = '' WHERE member_id = :ext")
        .bind("anon", anonymous).bind("ext", externalUserId).execute());
    rows.put("group_member_changes", h.createUpdate("UPDATE group_member_changes SET member_id = :anon WHERE member_id = :ext")
        .bind("anon", anonymous).bind("ext", externalUserId).execute());
    String name = h.createQuery("SELECT name FROM contacts WHERE external_userid = :ext").bind("ext", externalUserId)
        .mapTo(String.class).findOne().orElse("");
    int alerts = h.createUpdate("DELETE FROM churn_alerts WHERE instr(text, :ext) > 0").bind("ext", externalUserId).execute();
    int groups = 0;
    if (!name.isBlank()) {
      alerts += h.createUpdate("DELETE FROM churn_alerts WHERE instr(text, :name) > 0").bind("name", name).execute();
      // A group named after the patient (张三的家庭群) loses the name; the next sync brings back WeCom's.
      groups = h.createUpdate("UPDATE group_chats SET name = '' WHERE instr(name, :name) > 0").bind("name", name).execute();
    }
    rows.put("churn_alerts", alerts);
    rows.put("group_chats", groups);
    return rows;
  }
}
