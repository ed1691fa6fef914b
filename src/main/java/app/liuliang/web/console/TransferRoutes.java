package app.liuliang.web.console;

import app.liuliang.account.Accounts;
import app.liuliang.app.Foundation;
import app.liuliang.contact.TagCatalog;
import app.liuliang.transfer.StaffTransfers;
import app.liuliang.transfer.TransferRequest;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.web.ClientAddress;
import app.liuliang.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 继承 ({@code /admin/transfers}): the staff transfers with each customer's status, staff and patients by
 * name, and the form that starts one (from, to, optional layer / tag), behind the console's access rules and
 * CSRF check ({@link ConsoleRoutes#page}, {@link ConsoleRoutes#action}).
 */
public final class TransferRoutes implements Routes {

  private static final Logger log = LoggerFactory.getLogger(TransferRoutes.class);
  private static final int JOBS = 20;
  /** Outcomes shown after the form, by key (never text from the query string). */
  private static final Map<String, String> ERRORS = Map.of(
      "missing", "请填写转出员工和接替员工。", "same", "转出员工和接替员工不能是同一人。",
      "wecom", "暂时连不上企业微信，未开始转接，请稍后重试。", "layer", "请选择 tags.yaml 里的分层。",
      "tag", "这个标签不在 tags.yaml 里。");

  private final ConsoleRoutes console;
  private final StaffTransfers transfers;
  private final ConsoleNames names;
  private final ConsoleTime time;
  private final TagCatalog tags;
  private final Jdbi jdbi;
  private final ClientAddress addresses;

  public TransferRoutes(ConsoleRoutes console, Foundation foundation, Accounts accounts, TagCatalog tags,
      StaffTransfers transfers) {
    this.console = console;
    this.transfers = transfers;
    this.names = new ConsoleNames(() -> null, accounts);
    this.time = new ConsoleTime(foundation.clock(), foundation.settings().app().timezone());
    this.tags = tags;
    this.jdbi = foundation.database().jdbi();
    this.addresses = new ClientAddress(foundation.settings().app().server().trustedProxies());
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/admin/transfers", ctx -> console.page(ctx, "transfers", "继承", () -> model(ctx)));
    routes.post("/admin/transfers", ctx -> console.action(ctx, caller -> start(ctx)));
    routes.post("/admin/transfers/follow", ctx -> console.action(ctx, caller -> follow(ctx)));
  }

  private Map<String, Object> model(Context ctx) {
    Map<String, Object> model = new HashMap<>();
    List<StaffTransfers.JobView> jobs = transfers.recent(JOBS);
    Map<String, String> patients = names("SELECT external_userid, name FROM contacts WHERE external_userid IN (<ids>)",
        jobs.stream().flatMap(j -> j.customers().stream()).map(StaffTransfers.CustomerView::externalUserId).toList());
    Map<String, String> groups = names("SELECT chat_id, name FROM group_chats WHERE chat_id IN (<ids>)",
        jobs.stream().flatMap(j -> j.groups().stream()).map(StaffTransfers.GroupView::chatId).toList());
    model.put("jobs", jobs.stream().map(j -> job(j, patients, groups)).toList());
    model.put("staff", names.accounts() == null ? List.of() : names.accounts().accounts().stream()
        .map(a -> Map.of("id", a.id(), "name", a.nickname() + (a.role() == null ? "" : " · " + a.role()))).toList());
    model.put("layers", TagCatalog.LAYERS.stream().map(l -> Map.of("id", l, "name", Labels.layer(l))).toList());
    model.put("tags", tags == null ? List.of() : tags.groups().stream().flatMap(g -> g.tags().stream()).toList());
    model.put("departed", departed());
    model.put("started", ctx.queryParam("started") == null ? "" : ctx.queryParam("started"));
    model.put("followed", ctx.queryParam("followed") == null ? "" : "已查询 " + ctx.queryParam("followed").replaceAll("\\D", "")
        + " 个未完成的继承的最新结果。");
    model.put("error", ERRORS.getOrDefault(String.valueOf(ctx.queryParam("error")), ""));
    return model;
  }

  private Map<String, Object> job(StaffTransfers.JobView j, Map<String, String> patients, Map<String, String> groups) {
    Map<String, Object> row = new HashMap<>();
    row.put("id", j.id());
    row.put("kind", TransferLabels.kind(j.kind()));
    row.put("from", names.staff(j.from()));
    row.put("to", names.staff(j.to()));
    row.put("filter", (j.layer() == null ? "" : "分层：" + Labels.layer(j.layer()) + " ")
        + (j.tag() == null ? "" : "标签：" + j.tag()));
    row.put("status", TransferLabels.job(j.status()));
    row.put("createdAt", time.shortTime(j.createdAt()));
    Map<String, Integer> summary = new LinkedHashMap<>();
    j.statuses().forEach((status, count) -> summary.put(TransferLabels.customer(status), count));
    row.put("summary", summary);
    row.put("customers", j.customers().stream().map(c -> Map.of(
        "externalUserId", c.externalUserId(),
        "name", patients.getOrDefault(c.externalUserId(), "（未登记或未命名的客户）"),
        "status", TransferLabels.customer(c.status()),
        "final", !List.of("queued", "submitting", "waiting").contains(c.status()),
        "note", TransferLabels.errcode(c.errcode()),
        "takeoverAt", c.takeoverAt() == null ? "" : time.shortTime(c.takeoverAt()))).toList());
    row.put("groups", j.groups().stream().map(g -> Map.of("chatId", g.chatId(),
        "name", groups.getOrDefault(g.chatId(), "（未同步的客户群）"), "status", TransferLabels.group(g.status()),
        "note", TransferLabels.errcode(g.errcode()))).toList());
    return row;
  }

  private void start(Context ctx) {
    String from = ctx.formParam("from");
    String to = ctx.formParam("to");
    String layer = blankToNull(ctx.formParam("layer"));
    String tag = blankToNull(ctx.formParam("tag"));
    String error = from == null || from.isBlank() || to == null || to.isBlank() ? "missing"
        : from.strip().equals(to.strip()) ? "same"
        : layer != null && !TagCatalog.LAYERS.contains(layer) ? "layer"
        : tag != null && tags != null && !tags.contains(tag) ? "tag" : null;
    if (error != null) {
      ctx.redirect("/admin/transfers?error=" + error, HttpStatus.SEE_OTHER);
      return;
    }
    try {
      StaffTransfers.Started started = transfers.start(new TransferRequest(from, to, layer, tag,
          "console:" + addresses.of(ctx)));
      log.info("console transfer {} from {}: {}", started.jobId(), ctx.ip(), started.statuses());
      ctx.redirect("/admin/transfers?started=" + URLEncoder.encode(started.jobId(), StandardCharsets.UTF_8),
          HttpStatus.SEE_OTHER);
    } catch (WeComApiException e) {
      log.warn("console transfer not started: {}", e.getMessage());
      ctx.redirect("/admin/transfers?error=wecom", HttpStatus.SEE_OTHER);
    }
  }

  /**
   * Departed members with customers nobody took over (get_unassigned_list), by name where accounts.yaml still
   * has them; null when WeCom could not be asked (the page says so instead of failing).
   */
  private List<Map<String, Object>> departed() {
    try {
      return transfers.unassignedByMember().entrySet().stream().map(e -> Map.<String, Object>of("id", e.getKey(),
          "name", names.staff(e.getKey()), "count", e.getValue())).toList();
    } catch (WeComApiException e) {
      log.warn("console: unassigned customers not listed: {}", e.getMessage());
      return null;
    }
  }

  /** Asks WeCom for the results of every unfinished transfer now, instead of at the next follow_every. */
  private void follow(Context ctx) {
    int worked = transfers.runOpen();
    log.info("console asked for transfer results from {}: {} jobs", ctx.ip(), worked);
    ctx.redirect("/admin/transfers?followed=" + worked, HttpStatus.SEE_OTHER);
  }

  /** id → name of these ids (named rows only), one query per 500 ids. */
  private Map<String, String> names(String sql, List<String> ids) {
    List<String> distinct = ids.stream().distinct().toList();
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < distinct.size(); i += 500) {
      List<String> chunk = distinct.subList(i, Math.min(distinct.size(), i + 500));
      jdbi.useHandle(h -> h.createQuery(sql).bindList("ids", chunk)
          .map((rs, c) -> new String[] {rs.getString(1), rs.getString(2)})
          .forEach(row -> {
            if (row[1] != null && !row[1].isBlank()) {
              out.put(row[0], row[1]);
            }
          }));
    }
    return out;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
