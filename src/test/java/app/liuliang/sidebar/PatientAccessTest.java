package app.liuliang.sidebar;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sidebar.PatientAccess.Basis;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sidebar's privacy rule on both stores: staff see the patients they follow (an active follow, not one
 * moved away by a transfer) and those whose unfinished hand-off is theirs; admins see every patient; a group
 * is its owner's, its staff members' (while in it) and the admins'.
 */
class PatientAccessTest {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void staffSeeTheirOwnAndHandedOffPatientsAdminsSeeAll(StoreKind kind) {
    try (Database db = TestStores.create(kind)) {
      db.jdbi().useHandle(h -> {
        for (String ext : List.of("wmFollowed", "wmHanded", "wmClosed", "wmMovedAway")) {
          h.execute("INSERT INTO contacts (external_userid, name, channel, layer, referral_code, first_userid, "
              + "added_at, updated_at) VALUES (?, ?, 'unknown', 'intent', ?, 'assistant-lily', 1, 1)", ext, ext,
              "R-" + ext);
        }
        h.execute("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES ('wmFollowed', "
            + "'assistant-lily', 1)");
        h.execute("INSERT INTO contact_follows (external_userid, userid, status, added_at) VALUES ('wmMovedAway', "
            + "'assistant-lily', 'transferred', 1)");
        h.execute("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, opened_at, source_msgid) "
            + "VALUES ('wmHanded', 'dr-chen', 'claimed', 'staff', 1, 'm1')");
        h.execute("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, opened_at, source_msgid) "
            + "VALUES ('wmClosed', 'dr-chen', 'closed', 'staff', 1, 'm2')");
        h.execute("INSERT INTO group_chats (chat_id, name, owner, category, updated_at) VALUES ('wrG', '群', "
            + "'assistant-lily', '种植VIP群', 1)");
        h.execute("INSERT INTO group_members (chat_id, member_id, type, join_time) VALUES ('wrG', 'dr-wang', 1, 1)");
        h.execute("INSERT INTO group_members (chat_id, member_id, type, join_time, left_at) VALUES ('wrG', "
            + "'dr-chen', 1, 1, 2)");
      });
      PatientAccess access = new PatientAccess(db.jdbi(), List.of("admin-zhang"));

      assertThat(access.patient("assistant-lily", "wmFollowed")).isEqualTo(Basis.FOLLOWS);
      assertThat(access.patient("assistant-lily", "wmMovedAway")).as("transferred to a colleague").isEqualTo(Basis.REFUSED);
      assertThat(access.patient("assistant-lily", "wmHanded")).isEqualTo(Basis.REFUSED);
      assertThat(access.patient("dr-chen", "wmHanded")).isEqualTo(Basis.HANDOFF);
      assertThat(access.patient("dr-chen", "wmClosed")).as("a closed hand-off is no one's").isEqualTo(Basis.REFUSED);
      assertThat(access.patient("admin-zhang", "wmClosed")).isEqualTo(Basis.ADMIN);

      assertThat(access.group("assistant-lily", "wrG")).isEqualTo(Basis.FOLLOWS);
      assertThat(access.group("dr-wang", "wrG")).isEqualTo(Basis.FOLLOWS);
      assertThat(access.group("dr-chen", "wrG")).as("left the group").isEqualTo(Basis.REFUSED);
      assertThat(access.group("admin-zhang", "wrG")).isEqualTo(Basis.ADMIN);
    }
  }
}
