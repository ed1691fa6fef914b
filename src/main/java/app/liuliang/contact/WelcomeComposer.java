package app.liuliang.contact;

import app.liuliang.account.Account;
import app.liuliang.contact.WelcomeTemplate.Attachment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a {@link WelcomeTemplate} for one patient and one account and builds WeCom's request bodies
 * ({@code send_welcome_msg}, and {@code add_msg_template} for the fallback).
 */
final class WelcomeComposer {

  /** Every placeholder a template may use. */
  static final List<String> PLACEHOLDERS = List.of("name", "account.nickname", "account.role",
      "account.services", "account.hours", "channel");
  static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}\\s]*)}");

  private static final Logger log = LoggerFactory.getLogger(WelcomeComposer.class);

  private final ObjectMapper json;
  private final WelcomeCovers covers;
  private final GroupOffers offers;

  WelcomeComposer(ObjectMapper json, WelcomeCovers covers, GroupCodes groupCodes) {
    this.json = json;
    this.covers = covers;
    this.offers = new GroupOffers(groupCodes);
  }

  /** The values for one send; a missing name is empty, so "{name}您好" reads "您好". */
  static Map<String, String> values(String name, Account account, String channelName) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("name", name == null ? "" : name.trim());
    values.put("account.nickname", nullToEmpty(account.nickname()));
    values.put("account.role", nullToEmpty(account.role()));
    values.put("account.services", String.join("、", account.services()));
    values.put("account.hours", account.hours().days().isEmpty() ? "" : account.hours().describe());
    values.put("channel", nullToEmpty(channelName));
    return values;
  }

  static String render(String text, Map<String, String> values) {
    if (text == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString().strip();
  }

  ObjectNode welcomeBody(WelcomeTemplate template, String welcomeCode, Map<String, String> values) {
    ObjectNode body = json.createObjectNode().put("welcome_code", welcomeCode);
    GroupOffers.Applied text = offers.apply(render(template.text(), values));
    body.putObject("text").put("content", text.text());
    if (!template.attachments().isEmpty() || !text.qrImages().isEmpty()) {
      ArrayNode parts = body.putArray("attachments");
      text.qrImages().forEach(url -> parts.add(qrImage(url)));
      for (Attachment a : template.attachments()) {
        attachment(a, values).ifPresentOrElse(parts::add,
            () -> log.warn("welcome {}: mini-program cover {} has no media id; card left out", template.id(),
                a.miniprogram().pic()));
      }
    }
    return body;
  }

  /** A 1:1 message from {@code userId} to the patient: WeCom shows it to the staff member to confirm. */
  ObjectNode fallbackBody(String fallbackText, String userId, String externalUserId) {
    ObjectNode body = json.createObjectNode().put("chat_type", "single").put("sender", userId);
    body.putArray("external_userid").add(externalUserId);
    GroupOffers.Applied text = offers.apply(fallbackText);
    body.putObject("text").put("content", text.text());
    if (!text.qrImages().isEmpty()) {
      ArrayNode parts = body.putArray("attachments");
      text.qrImages().forEach(url -> parts.add(qrImage(url)));
    }
    return body;
  }

  /** A group code offered in the text, as the image WeCom shows. */
  private ObjectNode qrImage(String url) {
    ObjectNode part = json.createObjectNode().put("msgtype", "image");
    part.putObject("image").put("pic_url", url);
    return part;
  }

  /** WeCom's JSON for one part; empty when a mini-program's cover could not be uploaded. */
  private Optional<ObjectNode> attachment(Attachment a, Map<String, String> values) {
    ObjectNode part = json.createObjectNode();
    if (a.link() != null) {
      part.put("msgtype", "link");
      ObjectNode link = part.putObject("link").put("title", render(a.link().title(), values)).put("url", a.link().url());
      putIfPresent(link, "picurl", a.link().picurl());
      putIfPresent(link, "desc", render(a.link().desc(), values));
    } else if (a.image() != null) {
      part.put("msgtype", "image");
      ObjectNode image = part.putObject("image");
      putIfPresent(image, "media_id", a.image().mediaId());
      putIfPresent(image, "pic_url", a.image().picUrl());
    } else {
      WelcomeTemplate.Miniprogram mp = a.miniprogram();
      Optional<String> cover = mp.pic() != null ? covers.mediaId(mp.pic()) : Optional.ofNullable(mp.picMediaId());
      if (cover.isEmpty()) {
        return Optional.empty();
      }
      part.put("msgtype", "miniprogram");
      part.putObject("miniprogram").put("title", render(mp.title(), values))
          .put("pic_media_id", cover.get()).put("appid", mp.appid()).put("page", mp.page());
    }
    return Optional.of(part);
  }

  private static void putIfPresent(ObjectNode node, String key, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(key, value);
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
