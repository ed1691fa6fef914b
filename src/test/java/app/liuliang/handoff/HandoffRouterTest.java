package app.liuliang.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.account.WorkingHours;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoffRouterTest {

  private static Account doctor(String id, String... specialties) {
    return new Account(id, Account.DOCTOR, id, "医生", List.of(), new WorkingHours(null, null, null), List.of(specialties));
  }

  private final Accounts accounts = new Accounts(List.of(
      new Account("lily", Account.ASSISTANT, "小美", "前台", List.of(), null, List.of()),
      doctor("wang", "pain", "cleaning"), doctor("chen", "implant", "ortho"), doctor("zhou", "kids")),
      List.of("wang", "chen"));
  private final HandoffRouter router = new HandoffRouter(accounts);

  @Test
  void ownDoctorComesFirstThenTheRoster() {
    assertThat(router.route(List.of("lily", "zhou"), "implant")).containsExactly("zhou", "wang", "chen");
    assertThat(router.basis(List.of("lily", "zhou"), "implant")).isEqualTo("own");
  }

  @Test
  void withoutOwnDoctorTheSpecialtyDecides() {
    assertThat(router.route(List.of("lily"), "implant")).containsExactly("chen", "wang");
    assertThat(router.route(List.of(), "kids")).containsExactly("zhou", "wang", "chen");
  }

  @Test
  void withoutSpecialtyTheOnDutyRosterDecides() {
    assertThat(router.route(List.of(), null)).containsExactly("wang", "chen");
    assertThat(router.route(List.of(), "whitening")).containsExactly("wang", "chen");
    assertThat(router.basis(List.of(), "whitening")).isEqualTo("on_duty");
  }
}
