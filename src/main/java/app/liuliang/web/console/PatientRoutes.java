package app.liuliang.web.console;

import app.liuliang.account.Account;
import app.liuliang.contact.ContactTagger;
import app.liuliang.contact.OptOuts;
import app.liuliang.contact.TagCatalog;
import app.liuliang.handoff.Handoffs;
import app.liuliang.wecom.WeComApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's workplace: 患者 (list with search and filters, and each patient's page with tags,
 * opt-out and the timeline) and the 转接 desk (claim, reassign, close, answer). Writes go through
 * their owners: tags through {@link ContactTagger} (the outbox tags every follower), opt-out through
 * {@link OptOuts}, hand-offs through {@link Handoffs} (the card buttons' state machine). Pages and
 * forms pass the console's access rules and CSRF check ({@link ConsoleRoutes#page}, {@link ConsoleRoutes#action}).
 */
public final class PatientRoutes {

  private static final Logger log = LoggerFactory.getLogger(PatientRoutes.class);

  /** Outcomes shown after a form, by key (never text from the query string). */
  private static final Map<String, String> NOTICES = Map.ofEntries(
      Map.entry("tagged", "已加标签，正在同步到企业微信。"), Map.entry("untagged", "已去掉标签，正在同步到企业微信。"),
      Map.entry("tag-unchanged", "标签没有变化。"), Map.entry("tag-later", "暂时连不上企业微信，标签未改，请稍后重试。"),
      Map.entry("tag-unknown", "这个标签不在 tags.yaml 里。"),
      Map.entry("opted-out", "已设为退订：不再给该患者发营销消息。"), Map.entry("opted-in", "已恢复订阅。"),
      Map.entry("opt-unchanged", "退订状态没有变化。"), Map.entry("opt-needs-reason", "请填写操作人和原因。"),
      Map.entry("claimed", "已接手。"), Map.entry("reassigned", "已转交。"), Map.entry("closed", "转接已结束。"),
      Map.entry("answered", "回复已排队发送给患者。"), Map.entry("moved-on", "状态已变化（可能已由他人处理），请看最新状态。"),
      Map.entry("not-theirs", "只有已接手的本人可以回复患者（请先接手）。"), Map.entry("empty-answer", "回复内容不能为空。"),
      Map.entry("unknown-staff", "请选择配置里的员工。"));

  static final int MAX_ANSWER_CHARS = 2048;

  private final ConsoleRoutes console;
  private final PatientSearch search;
  private final PatientDetail detail;
  private final HandoffDesk desk;
  private final ConsoleNames names;
  private final TagCatalog tags;
  private final ContactTagger tagger;
  private final OptOuts optOuts;
  private final Handoffs handoffs;

  PatientRoutes(ConsoleRoutes console, Jdbi jdbi, ConsoleTime time, ConsoleNames names, TagCatalog tags,
      Workplace workplace) {
    this.console = console;
    this.names = names;
    this.tags = tags;
    this.search = new PatientSearch(jdbi, time, names);
    this.detail = new PatientDetail(jdbi, time, names, tags);
    this.desk = new HandoffDesk(jdbi, time, names);
    this.tagger = workplace.tagger();
    this.optOuts = workplace.optOuts();
    this.handoffs = workplace.handoffs();
  }

  /** What the workplace writes through (built by the features that own them). */
  public record Workplace(ContactTagger tagger, OptOuts optOuts, Handoffs handoffs) {
  }

  void addTo(RoutesConfig routes) {
    routes.get("/admin/patients", ctx -> console.page(ctx, "patient_list", "患者", () -> list(ctx)));
    routes.get("/admin/patients/{ext}", ctx -> console.page(ctx, "patient", "患者详情", () -> patient(ctx)));
    routes.post("/admin/patients/{ext}/tags", ctx -> console.action(ctx, caller -> changeTag(ctx, true)));
    routes.post("/admin/patients/{ext}/tags/remove", ctx -> console.action(ctx, caller -> changeTag(ctx, false)));
    routes.post("/admin/patients/{ext}/opt-out", ctx -> console.action(ctx, caller -> optOut(ctx)));
    routes.get("/admin/handoffs/{id}", ctx -> console.page(ctx, "handoff", "转接详情", () -> handoff(ctx)));
    routes.post("/admin/handoffs/{id}/claim", ctx -> console.action(ctx, caller -> handoffAction(ctx, "claim")));
    routes.post("/admin/handoffs/{id}/reassign", ctx -> console.action(ctx, caller -> handoffAction(ctx, "reassign")));
    routes.post("/admin/handoffs/{id}/close", ctx -> console.action(ctx, caller -> handoffAction(ctx, "close")));
    routes.post("/admin/handoffs/{id}/answer", ctx -> console.action(ctx, caller -> handoffAction(ctx, "answer")));
  }

  private Map<String, Object> list(Context ctx) {
    PatientSearch.Filter filter = new PatientSearch.Filter(ctx.queryParam("q"), ctx.queryParam("layer"),
        ctx.queryParam("channel"), ctx.queryParam("store"), ctx.queryParam("tag"), ctx.queryParam("doctor"),
        ctx.queryParam("opted_out"), ctx.queryParam("status"), ctx.queryParam("sort"), pageParam(ctx));
    PatientSearch.Page page = search.search(filter);
    Map<String, Object> model = new HashMap<>();
    model.put("f", filter);
    model.put("result", page);
    model.put("layers", TagCatalog.LAYERS.stream().map(id -> option(id, Labels.layer(id))).toList());
    model.put("channelOptions", names.channels() == null ? List.of()
        : names.channels().channels().stream().map(c -> option(c.id(), c.name())).toList());
    model.put("storeOptions", names.channels() == null ? List.of()
        : names.channels().stores().stream().map(s -> option(s.id(), s.name())).toList());
    model.put("tagOptions", tags == null ? List.of()
        : tags.groups().stream().flatMap(g -> g.tags().stream()).map(t -> option(t, t)).toList());
    model.put("doctorOptions", staffOptions(false));
    model.put("query", queryWithout(ctx));
    return model;
  }

  private Map<String, Object> patient(Context ctx) {
    String ext = ctx.pathParam("ext");
    PatientDetail.Profile profile = detail.profile(ext).orElseThrow(() -> new NotFoundResponse("no such patient"));
    List<PatientDetail.Tag> current = detail.tags(ext);
    Map<String, Object> model = new HashMap<>();
    model.put("p", profile);
    model.put("tags", current);
    model.put("addable", detail.addableTags(current));
    model.put("layerHistory", detail.layerHistory(ext));
    model.put("welcomes", detail.welcomes(ext));
    model.put("referees", detail.referees(ext));
    model.put("groups", detail.groups(ext));
    model.put("optOutChanges", detail.optOutChanges(ext));
    model.put("timeline", detail.timeline(ext));
    model.put("actors", staffOptions(true));
    model.put("notice", notice(ctx));
    return model;
  }

  private Map<String, Object> handoff(Context ctx) {
    HandoffDesk.Handoff h = desk.find(pathId(ctx)).orElseThrow(() -> new NotFoundResponse("no such hand-off"));
    Map<String, Object> model = new HashMap<>();
    model.put("h", h);
    model.put("messages", desk.messages(h.externalUserId()));
    model.put("actions", desk.actions(h.id()));
    model.put("staff", staffOptions(false));
    // One nonce per rendered answer form: a double-submitted form sends the patient one message.
    model.put("nonce", UUID.randomUUID().toString().replace("-", ""));
    model.put("notice", notice(ctx));
    return model;
  }

  private void changeTag(Context ctx, boolean add) {
    String ext = ctx.pathParam("ext");
    String tag = form(ctx, "tag");
    String outcome;
    try {
      if (add) {
        outcome = tagger.tag(ext, tag, "staff") ? "tagged" : "tag-unchanged";
      } else {
        outcome = tagger.untag(ext, tag) ? "untagged" : "tag-unchanged";
      }
      log.info("console {} tag on {} from {}: {}", add ? "add" : "remove", ext, ctx.ip(), outcome);
    } catch (IllegalArgumentException e) {
      outcome = "tag-unknown";
    } catch (WeComApiException e) {
      log.warn("console tag change on {} waits for WeCom: {}", ext, e.getMessage());
      outcome = "tag-later";
    }
    backToPatient(ctx, ext, outcome);
  }

  private void optOut(Context ctx) {
    String ext = ctx.pathParam("ext");
    boolean optedOut = "1".equals(form(ctx, "opted_out"));
    String actor = form(ctx, "actor");
    String reason = form(ctx, "reason");
    if (actor.isEmpty() || reason.isEmpty() || !knownActor(actor, true)) {
      backToPatient(ctx, ext, "opt-needs-reason");
      return;
    }
    String outcome = switch (optOuts.set(ext, optedOut, actor, reason)) {
      case CHANGED -> optedOut ? "opted-out" : "opted-in";
      case UNCHANGED -> "opt-unchanged";
      case UNKNOWN_CONTACT -> throw new NotFoundResponse("no such patient");
    };
    backToPatient(ctx, ext, outcome);
  }

  private void handoffAction(Context ctx, String action) {
    long id = pathId(ctx);
    String as = form(ctx, "as");
    if (!knownActor(as, false)) {
      backToHandoff(ctx, id, "unknown-staff");
      return;
    }
    Handoffs.Action result;
    String done;
    switch (action) {
      case "claim" -> {
        result = handoffs.claim(id, as);
        done = "claimed";
      }
      case "reassign" -> {
        String to = form(ctx, "to");
        if (!knownActor(to, false)) {
          backToHandoff(ctx, id, "unknown-staff");
          return;
        }
        result = handoffs.reassign(id, to, as);
        done = "reassigned";
      }
      case "close" -> {
        result = handoffs.close(id, as);
        done = "closed";
      }
      default -> {
        String text = form(ctx, "text");
        if (text.isEmpty() || text.length() > MAX_ANSWER_CHARS) {
          backToHandoff(ctx, id, "empty-answer");
          return;
        }
        String nonce = form(ctx, "nonce").replaceAll("[^0-9a-zA-Z]", "");
        result = handoffs.answer(id, as, text, nonce.isEmpty() ? UUID.randomUUID().toString() : nonce);
        done = "answered";
      }
    }
    log.info("console hand-off {} {} as {} from {}: {}", id, action, as, ctx.ip(), result);
    switch (result) {
      case DONE -> backToHandoff(ctx, id, done);
      case MOVED_ON -> backToHandoff(ctx, id, "moved-on");
      case NOT_THEIRS -> backToHandoff(ctx, id, "not-theirs");
      default -> throw new NotFoundResponse("no such hand-off");
    }
  }

  private boolean knownActor(String id, boolean operatorAllowed) {
    if (operatorAllowed && ConsoleNames.OPERATOR.equals(id)) {
      return true;
    }
    return names.accounts() != null && names.accounts().find(id).isPresent();
  }

  private List<Map<String, String>> staffOptions(boolean withOperator) {
    List<Map<String, String>> options = new java.util.ArrayList<>();
    if (withOperator) {
      options.add(option(ConsoleNames.OPERATOR, names.staff(ConsoleNames.OPERATOR)));
    }
    if (names.accounts() != null) {
      for (Account a : names.accounts().accounts()) {
        options.add(option(a.id(), a.nickname() + (a.role() == null ? "" : " · " + a.role())));
      }
    }
    return options;
  }

  private static Map<String, String> option(String value, String label) {
    return Map.of("value", value, "label", label);
  }

  private static String notice(Context ctx) {
    String key = ctx.queryParam("done");
    return key == null ? "" : NOTICES.getOrDefault(key, "");
  }

  /** The list's query string without its page, for the pager's links. */
  private static String queryWithout(Context ctx) {
    StringBuilder query = new StringBuilder();
    ctx.queryParamMap().forEach((key, values) -> {
      if (!key.equals("page")) {
        for (String value : values) {
          query.append(query.isEmpty() ? "" : "&").append(encode(key)).append('=').append(encode(value));
        }
      }
    });
    return query.toString();
  }

  private static int pageParam(Context ctx) {
    try {
      return Integer.parseInt(ctx.queryParam("page") == null ? "1" : ctx.queryParam("page"));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String form(Context ctx, String name) {
    String value = ctx.formParam(name);
    return value == null ? "" : value.strip();
  }

  private static long pathId(Context ctx) {
    return ctx.pathParamAsClass("id", Long.class).get();
  }

  private static void backToPatient(Context ctx, String ext, String outcome) {
    ctx.redirect("/admin/patients/" + encode(ext) + "?done=" + outcome, HttpStatus.SEE_OTHER);
  }

  private static void backToHandoff(Context ctx, long id, String outcome) {
    ctx.redirect("/admin/handoffs/" + id + "?done=" + outcome, HttpStatus.SEE_OTHER);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
