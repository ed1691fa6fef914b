package app.liuliang.sop;

import app.liuliang.sop.WeekPlan.Attachment;
import app.liuliang.sop.WeekPlan.Audience;
import java.util.List;

/**
 * One scheduled send, whatever file it came from: a week plan entry, or a campaign countdown post.
 * Stored as JSON in {@code sop_items.spec}; the Quartz job {@code sop/<plan>/<id>} fires it.
 *
 * @param plan      the plan key: the ISO week ({@code 2026-W48}) or {@code campaign:<id>}
 * @param kind      moment | group | personal | countdown (as the console shows it)
 * @param channel   how it is sent: moment | group | personal
 * @param dueAt     epoch millis of the planned minute
 * @param senders   moment senders, group owners, or (personal) the staff whose contacts get it; empty = all
 * @param categories (group posts) the customer-group categories of groups.yaml it goes to, instead of every
 *                   group of the owners; empty = every group
 */
public record SopItem(String plan, String id, String kind, String channel, long dueAt, List<String> senders,
    Audience audience, String text, List<Attachment> attachments, List<String> categories) {

  public static final String MOMENT = "moment";
  public static final String GROUP = "group";
  public static final String PERSONAL = "personal";

  public SopItem {
    senders = senders == null ? List.of() : List.copyOf(senders);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    categories = categories == null ? List.of() : List.copyOf(categories);
    audience = Audience.orEveryone(audience);
    text = text == null ? "" : text;
  }

  /** The Quartz job name and the prefix of every idempotency key. */
  public String jobName() {
    return jobName(plan, id);
  }

  static String jobName(String plan, String id) {
    return "sop/" + plan + "/" + id;
  }

  public String preview() {
    String flat = text.replace('\n', ' ');
    return flat.length() <= 40 ? flat : flat.substring(0, 39) + "…";
  }
}
