package app.liuliang.handoff;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses who answers: the patient's own doctor (a doctor account they follow), else a doctor with
 * the intent's specialty (on-duty roster order first), else the first doctor on duty. The route is
 * that doctor followed by the rest of the on-duty roster: the order escalation tries them in.
 */
final class HandoffRouter {

  private final Accounts accounts;

  HandoffRouter(Accounts accounts) {
    this.accounts = accounts;
  }

  /** Doctor userids to try, first one first; empty when there is no doctor at all. */
  List<String> route(List<String> followers, String specialty) {
    Set<String> route = new LinkedHashSet<>();
    first(followers, specialty).ifPresent(route::add);
    route.addAll(accounts.onDuty());
    return new ArrayList<>(route);
  }

  /** Why the first doctor was chosen, for the log and the card. */
  String basis(List<String> followers, String specialty) {
    if (ownDoctor(followers).isPresent()) {
      return "own";
    }
    return bySpecialty(specialty).isPresent() ? "specialty" : "on_duty";
  }

  private Optional<String> first(List<String> followers, String specialty) {
    return ownDoctor(followers).or(() -> bySpecialty(specialty)).or(() -> accounts.onDuty().stream().findFirst());
  }

  private Optional<String> ownDoctor(List<String> followers) {
    return followers.stream().filter(id -> accounts.find(id).map(Account::isDoctor).orElse(false)).findFirst();
  }

  private Optional<String> bySpecialty(String specialty) {
    if (specialty == null) {
      return Optional.empty();
    }
    List<Account> doctors = new ArrayList<>();
    accounts.onDuty().forEach(id -> accounts.find(id).ifPresent(doctors::add));
    doctors.addAll(accounts.doctors());
    return doctors.stream().filter(d -> d.specialties().contains(specialty)).map(Account::id).findFirst();
  }
}
