package app.liuliang.handoff;

import java.time.Duration;

/**
 * How hand-offs behave.
 *
 * @param claimTimeout   unclaimed this long → the next doctor on the roster, then the assistant
 * @param checkEvery     how often due and overdue hand-offs are looked at
 * @param assistantId    who takes escalated hand-offs
 * @param patientLine    told to the patient; {doctor} {role} {minutes}
 * @param outOfHoursLine told when the doctor is off; {doctor} {role} {hours}
 */
public record HandoffPolicy(Duration claimTimeout, Duration checkEvery, String assistantId, String patientLine,
    String outOfHoursLine) {
}
