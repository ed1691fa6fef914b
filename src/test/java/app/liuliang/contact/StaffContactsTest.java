package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The per-staff views the figures read: who to ask WeCom about, and referrals credited per staff member. */
class StaffContactsTest {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void staffWithActivePatientsAreAskedAndReferralsGoToWhomTheRefereeAddedThroughTheCode(StoreKind kind) {
    try (Database db = TestStores.create(kind)) {
      db.jdbi().useHandle(h -> {
        h.execute("INSERT INTO contact_follows (external_userid, userid, state, status, added_at) VALUES "
            + "('wmA', 'assistant-lily', 'ref:K1', 'active', 100), ('wmB', 'assistant-lily', 'ref:K1', 'active', 100), "
            + "('wmC', 'dr-wang', 'ref:K2', 'active', 100), ('wmD', 'dr-wang', 'meituan', 'active', 100), "
            + "('wmE', 'left-staff', 'ref:K1', 'transferred', 100), ('wmF', 'dr-chen', 'ref:K9', 'active', 100)");
        h.execute("INSERT INTO referrals (referee_external_userid, referrer_external_userid, code, created_at) VALUES "
            + "('wmA', 'wmKOC', 'K1', 1000), ('wmB', 'wmKOC', 'K1', 5000), ('wmC', 'wmK2', 'K2', 2000), "
            + "('wmE', 'wmKOC', 'K1', 2000), ('wmF', 'wmKOC', 'K1', 2000)");
      });
      StaffContacts staff = new StaffContacts(db.jdbi());

      assertThat(staff.followUserIds()).containsExactly("assistant-lily", "dr-chen", "dr-wang");
      // wmF added dr-chen through another code than the one recorded: credited to nobody.
      assertThat(staff.referralsBetween(0, 10_000)).isEqualTo(Map.of("assistant-lily", 2, "dr-wang", 1, "left-staff", 1));
      assertThat(staff.referralsBetween(1_500, 5_000)).isEqualTo(Map.of("dr-wang", 1, "left-staff", 1));
    }
  }
}
