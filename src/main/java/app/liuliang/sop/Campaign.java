package app.liuliang.sop;

import app.liuliang.sop.WeekPlan.Attachment;
import app.liuliang.sop.WeekPlan.Audience;
import java.util.List;

/**
 * {@code config/campaigns/<id>.yaml}: a limited offer and its countdown posts.
 *
 * @param id        must match the file name
 * @param endsAt    local date-time the offer ends, {@code "2026-12-06T22:00"}
 * @param channel   moment (default) or personal
 * @param countdown offsets before the end: {@code 7d, 3d, 1d, 3h, 1h, 30min, 15min} (the default)
 * @param text      with {@code {remaining}} → "还剩3天"
 */
public record Campaign(String id, String name, String endsAt, String timezone, String channel, List<String> senders,
    Audience audience, List<String> countdown, String text, List<Attachment> attachments) {

  public static final List<String> DEFAULT_COUNTDOWN = List.of("7d", "3d", "1d", "3h", "1h", "30min", "15min");

  public Campaign {
    senders = senders == null ? List.of() : List.copyOf(senders);
    countdown = countdown == null ? DEFAULT_COUNTDOWN : List.copyOf(countdown);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    channel = channel == null ? SopItem.MOMENT : channel;
  }
}
