package app.liuliang.contact;

import java.util.List;

/**
 * One welcome message of {@code config/welcome/*.yaml}: what an account of {@code persona} sends to
 * a patient from one of {@code channels}, within WeCom's 20-second welcome-code window.
 *
 * @param id          unique name, shown in the console and logs
 * @param channels    channel ids from {@code channels.yaml}
 * @param persona     {@code assistant} or {@code doctor}
 * @param text        the message, with placeholders ({@link WelcomeComposer#PLACEHOLDERS})
 * @param attachments up to 9 link / image / miniprogram parts, each arriving as its own message
 * @param fallback    sent as a 1:1 message (add_msg_template, confirmed by the staff member) when
 *                    the welcome code was expired or used; optional
 */
public record WelcomeTemplate(String id, List<String> channels, String persona, String text,
    List<Attachment> attachments, Fallback fallback) {

  public WelcomeTemplate {
    channels = channels == null ? List.of() : List.copyOf(channels);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** Exactly one of the parts is set. */
  public record Attachment(Link link, Image image, Miniprogram miniprogram) {
    int kinds() {
      return (link == null ? 0 : 1) + (image == null ? 0 : 1) + (miniprogram == null ? 0 : 1);
    }
  }

  /** A link card: title ≤128 bytes, desc ≤512 bytes. */
  public record Link(String title, String desc, String url, String picurl) {
  }

  /** An image by permanent URL ({@code pic_url}) or a media id (valid 3 days: prefer pic_url). */
  public record Image(String picUrl, String mediaId) {
  }

  /**
   * A mini-program card: title ≤64 bytes. The cover is {@code pic}, an image file under {@code config/}
   * (uploaded as needed, see {@link WelcomeCovers}), or a {@code pic_media_id} that is valid 3 days.
   */
  public record Miniprogram(String title, String appid, String page, String pic, String picMediaId) {
  }

  /** The 1:1 message sent instead when the welcome code could not be used. */
  public record Fallback(String text) {
  }
}
