package app.liuliang.handoff;

import java.time.Duration;
import java.util.Map;

/**
 * How hand-offs behave.
 *
 * @param claimTimeout   unclaimed this long → the next doctor on the roster, then the assistant
 * @param checkEvery     how often due and overdue hand-offs are looked at
 * @param assistantId    who takes escalated hand-offs
 * @param patientLine    told to the patient; {doctor} {role} {minutes}
 * @param outOfHoursLine told when the doctor is off; {doctor} {role} {hours}
 * @param linesByReason  the lines for a reason (an intent id, {@code intent}, ...) where config has its own
 *                       (a sales question never gets the emergency advice of a pain line)
 * @param acknowledgeEvery a patient writing again while their hand-off waits is answered at most this often
 * @param acknowledgeLine  that answer; {doctor} {role} {hours}
 */
public record HandoffPolicy(Duration claimTimeout, Duration checkEvery, String assistantId, String patientLine,
    String outOfHoursLine, Map<String, Lines> linesByReason, Duration acknowledgeEvery, String acknowledgeLine) {

  /** What the patient is told: now (the doctor is at work) or out of hours. */
  public record Lines(String now, String outOfHours) {
  }

  /** The old shape: one pair of lines for every reason, acknowledgements every 30 minutes. */
  public HandoffPolicy(Duration claimTimeout, Duration checkEvery, String assistantId, String patientLine,
      String outOfHoursLine) {
    this(claimTimeout, checkEvery, assistantId, patientLine, outOfHoursLine, Map.of(), Duration.ofMinutes(30),
        "收到您的消息，已转给{doctor}，{doctor}会尽快回复您。");
  }

  public HandoffPolicy {
    linesByReason = linesByReason == null ? Map.of() : Map.copyOf(linesByReason);
  }

  Lines linesFor(String reason) {
    return linesByReason.getOrDefault(reason, new Lines(patientLine, outOfHoursLine));
  }
}
