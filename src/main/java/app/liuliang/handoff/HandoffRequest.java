package app.liuliang.handoff;

import java.util.List;

/**
 * A conversation to hand to a doctor.
 *
 * @param sourceMsgid   the patient message that caused it (one hand-off per message)
 * @param followers     staff userids the patient follows: a doctor among them is "their" doctor
 * @param specialty     the intent's specialty (implant, pain...), or null
 * @param reason        why: pain, complaint, medical, no_answer...
 * @param card          what the doctor's card shows
 */
public record HandoffRequest(String sourceMsgid, String externalUserId, String openKfId, List<String> followers,
    String specialty, String reason, String intent, PatientCard card) {

  public HandoffRequest {
    followers = followers == null ? List.of() : List.copyOf(followers);
  }

  /** The patient as the doctor's card describes them. */
  public record PatientCard(String name, String layer, List<String> tags, List<String> recentMessages) {
    public PatientCard {
      tags = tags == null ? List.of() : List.copyOf(tags);
      recentMessages = recentMessages == null ? List.of() : List.copyOf(recentMessages);
    }
  }
}
