package app.liuliang.sop;

import java.util.List;

/**
 * {@code config/sop/<ISO week>.yaml} as the operator writes it.
 *
 * @param week     the ISO week, e.g. {@code 2026-W48}; must match the file name
 * @param timezone optional, defaults to the app's timezone
 */
public record WeekPlan(String week, String timezone, List<Moment> moments, List<GroupPost> groups,
    List<Personal> personal) {

  public WeekPlan {
    moments = moments == null ? List.of() : List.copyOf(moments);
    groups = groups == null ? List.of() : List.copyOf(groups);
    personal = personal == null ? List.of() : List.copyOf(personal);
  }

  /** A 客户朋友圈 post: {@code add_moment_task} for the senders' customers. */
  public record Moment(String id, String day, String at, List<String> senders, Audience audience, String text,
      List<Attachment> attachments) {
    public Moment {
      senders = senders == null ? List.of() : List.copyOf(senders);
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  /**
   * A post to the customer groups the owners run: {@code add_msg_template} chat_type=group; with
   * {@code categories}, only to the active groups of those categories (groups.yaml), by their owners.
   */
  public record GroupPost(String id, String day, String at, List<String> owners, List<String> categories, String text,
      List<Attachment> attachments) {
    public GroupPost {
      owners = owners == null ? List.of() : List.copyOf(owners);
      categories = categories == null ? List.of() : List.copyOf(categories);
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  /** A 1:1 message to matching contacts: {@code add_msg_template} chat_type=single. */
  public record Personal(String id, String day, String at, List<String> senders, Audience audience, String text,
      List<Attachment> attachments) {
    public Personal {
      senders = senders == null ? List.of() : List.copyOf(senders);
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  /**
   * Who sees it. Empty = all the senders' customers. {@code tags}: any of them; {@code layers}: any
   * of them; {@code excludeTags}: none of them.
   */
  public record Audience(List<String> tags, List<String> layers, List<String> excludeTags) {
    public Audience {
      tags = tags == null ? List.of() : List.copyOf(tags);
      layers = layers == null ? List.of() : List.copyOf(layers);
      excludeTags = excludeTags == null ? List.of() : List.copyOf(excludeTags);
    }

    public static final Audience EVERYONE = new Audience(null, null, null);

    public static Audience orEveryone(Audience audience) {
      return audience == null ? EVERYONE : audience;
    }

    /** "tags 需求-美白; layers intent; not 有投诉", or "all customers". */
    public String describe() {
      StringBuilder out = new StringBuilder();
      if (!tags.isEmpty()) {
        out.append("tags ").append(String.join(",", tags));
      }
      if (!layers.isEmpty()) {
        out.append(out.length() > 0 ? "; " : "").append("layers ").append(String.join(",", layers));
      }
      if (!excludeTags.isEmpty()) {
        out.append(out.length() > 0 ? "; " : "").append("not ").append(String.join(",", excludeTags));
      }
      return out.length() == 0 ? "all customers" : out.toString();
    }
  }

  /** Exactly one of image (a file under config/), link, miniprogram or video (a file). */
  public record Attachment(String image, Link link, Miniprogram miniprogram, String video) {
    int kinds() {
      return (image != null ? 1 : 0) + (link != null ? 1 : 0) + (miniprogram != null ? 1 : 0) + (video != null ? 1 : 0);
    }
  }

  /** A link card; {@code picurl} is a URL (1:1) — Moments upload it from {@code picurl} when it is a file. */
  public record Link(String title, String url, String picurl, String desc) {
  }

  /** A mini program card; {@code pic} is an image file under config/ (uploaded as pic_media_id). */
  public record Miniprogram(String title, String appid, String page, String pic) {
  }
}
