package app.liuliang.contact;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A welcome or 1:1 text that offers a customer group: {@code {group_qr:种植VIP群}} leaves the text and
 * becomes the group code as an image attachment; {@code {group_link:种植VIP群}} becomes the code's URL
 * where a link fits. A category whose code WeCom has not made yet offers nothing (logged).
 */
public final class GroupOffers {

  static final String QR = "group_qr";
  static final String LINK = "group_link";
  public static final Pattern OFFER = Pattern.compile("\\{(group_qr|group_link):([^{}\\s]+)}");
  private static final Logger log = LoggerFactory.getLogger(GroupOffers.class);

  /** The text with offers filled in, and the QR images to attach. */
  public record Applied(String text, List<String> qrImages) {
  }

  private final GroupCodes codes;

  public GroupOffers(GroupCodes codes) {
    this.codes = codes;
  }

  public Applied apply(String text) {
    if (text == null) {
      return new Applied(null, List.of());
    }
    List<String> images = new ArrayList<>();
    Matcher m = OFFER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Optional<String> qr = codes.qrCode(m.group(2));
      if (qr.isEmpty()) {
        log.warn("group code of category {} not made yet: {{}:{}} left out", m.group(2), m.group(1), m.group(2));
      }
      boolean asImage = QR.equals(m.group(1));
      if (asImage) {
        qr.filter(url -> !images.contains(url)).ifPresent(images::add);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(asImage ? "" : qr.orElse("")));
    }
    m.appendTail(out);
    return new Applied(out.toString().strip(), images);
  }

  /** The distinct categories a text offers as QR images (each one attachment). */
  static List<String> qrCategories(String text) {
    List<String> categories = new ArrayList<>();
    if (text != null) {
      Matcher m = OFFER.matcher(text);
      while (m.find()) {
        if (QR.equals(m.group(1)) && !categories.contains(m.group(2))) {
          categories.add(m.group(2));
        }
      }
    }
    return categories;
  }
}
