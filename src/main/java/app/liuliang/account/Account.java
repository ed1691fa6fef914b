package app.liuliang.account;

import java.util.List;

/**
 * One staff account the bot speaks for or hands off to.
 *
 * @param id          the WeCom userid
 * @param persona     {@code assistant} (流量号, warm front desk) or {@code doctor} (专家号, expert)
 * @param nickname    how the account introduces itself, e.g. 小美
 * @param role        e.g. 前台健康顾问, 主治医师 · 正畸/种植
 * @param services    what this account can do for a patient
 * @param hours       when it answers
 * @param specialties need / intent ids this doctor takes (implant, ortho, pain...)
 */
public record Account(String id, String persona, String nickname, String role, List<String> services,
    WorkingHours hours, List<String> specialties) {

  public static final String ASSISTANT = "assistant";
  public static final String DOCTOR = "doctor";

  public Account {
    services = services == null ? List.of() : List.copyOf(services);
    specialties = specialties == null ? List.of() : List.copyOf(specialties);
    hours = hours == null ? new WorkingHours(null, null, null) : hours;
  }

  public boolean isDoctor() {
    return DOCTOR.equals(persona);
  }

  public boolean isAssistant() {
    return ASSISTANT.equals(persona);
  }
}
