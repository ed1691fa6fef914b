package app.liuliang.channel;

import app.liuliang.contact.ChannelCatalog.DeclaredCode;
import app.liuliang.wecom.WeComApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes WeCom hold exactly the codes {@code channels.yaml} declares: creates the missing, updates the
 * changed, deletes the ones Liuliang made that are no longer declared, and never touches a code it did
 * not make (it only knows the config_ids it stored). Unchanged codes cost no call, so it runs at every
 * start and every few minutes. The intent is stored before each create: after a crash in between,
 * the code is found again by its state ({@code list_contact_way} + {@code get_contact_way}) instead of
 * being made twice.
 */
public final class ChannelCodeReconciler {

  private static final Logger log = LoggerFactory.getLogger(ChannelCodeReconciler.class);
  /** Long enough for one code's calls; a node that dies holding it frees it after this. */
  static final Duration LEASE = Duration.ofMinutes(2);
  static final int PARALLEL = 8;

  /** What one run did. */
  public record Report(int created, int updated, int deleted, int unchanged, int adopted, List<String> failed) {

    @Override
    public String toString() {
      return created + " created, " + updated + " updated, " + deleted + " deleted, " + unchanged + " unchanged"
          + (adopted > 0 ? ", " + adopted + " found again after an interrupted create" : "")
          + (failed.isEmpty() ? "" : ", " + failed.size() + " failed: " + failed);
    }
  }

  private final ChannelCodes codes;
  private final ContactWays ways;
  private final QrImages qr;
  private final ObjectMapper json;
  private final Clock clock;

  ChannelCodeReconciler(ChannelCodes codes, ContactWays ways, QrImages qr, ObjectMapper json, Clock clock) {
    this.codes = codes;
    this.ways = ways;
    this.qr = qr;
    this.json = json;
    this.clock = clock;
  }

  /** One pass over the declared codes and the stored ones. Safe to run on several nodes at once. */
  synchronized Report reconcile(List<DeclaredCode> declared) {
    Tally tally = new Tally();
    Map<String, ChannelCodes.Row> stored = codes.all().stream()
        .collect(Collectors.toMap(ChannelCodes.Row::state, Function.identity()));
    // A few codes at a time: each waits on WeCom (~40 ms a call, twice with its QR); the client's pacer
    // keeps the calls under WeCom's per-minute limit however many run.
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(PARALLEL);
    try {
      List<java.util.concurrent.Future<?>> work = new ArrayList<>();
      for (DeclaredCode code : declared) {
        work.add(pool.submit(() -> {
          try {
            sync(code, Optional.ofNullable(stored.get(code.state())), tally);
          } catch (WeComApiException e) {
            refused(code.state(), e, tally);
          }
        }));
      }
      for (java.util.concurrent.Future<?> done : work) {
        done.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("channel code reconcile interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("channel code reconcile failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    Set<String> wanted = declared.stream().map(DeclaredCode::state).collect(Collectors.toSet());
    for (ChannelCodes.Row row : stored.values()) {
      if (!wanted.contains(row.state()) && !ChannelCodes.DELETED.equals(row.status())) {
        try {
          retire(row, tally);
        } catch (WeComApiException e) {
          refused(row.state(), e, tally);
        }
      }
    }
    Report report = tally.report();
    log.info("channel codes: {}", report);
    return report;
  }

  private void sync(DeclaredCode code, Optional<ChannelCodes.Row> row, Tally tally) throws WeComApiException {
    ObjectNode spec = spec(code);
    String specJson = spec.toString();
    String hash = DigestUtils.sha256Hex(specJson);
    long now = clock.millis();
    long lease = now + LEASE.toMillis();
    if (row.isEmpty()) {
      if (codes.recordIntent(code.state(), code.channel().id(), code.storeId(), specJson, hash, now, lease)) {
        create(code.state(), spec, specJson, hash, tally);
      }
      return;
    }
    ChannelCodes.Row r = row.get();
    boolean live = ChannelCodes.ACTIVE.equals(r.status()) && r.configId() != null;
    if (live && r.specHash().equals(hash)) {
      tally.unchanged.incrementAndGet();
      if (!r.hasQr()) {
        fetchQr(code.state(), r.qrUrl());
      }
      return;
    }
    if (!codes.claim(code.state(), now, lease)) {
      return;
    }
    if (live) {
      if (type(r.spec()) == spec.path("type").asInt()) {
        ways.update(r.configId(), spec);
        codes.active(code.state(), r.configId(), null, specJson, hash, clock.millis());
        tally.updated.incrementAndGet();
      } else {
        // WeCom cannot turn a single-person code into a multi-person one: a new code, same state.
        codes.recreating(code.state(), code.channel().id(), code.storeId(), specJson, hash, clock.millis());
        ways.delete(r.configId());
        create(code.state(), spec, specJson, hash, tally);
      }
      return;
    }
    // Creating or failed before (perhaps in flight when a node died), or deleted and declared again.
    Optional<String> found = ChannelCodes.DELETED.equals(r.status()) ? Optional.empty() : findByState(code.state(), r);
    if (found.isPresent()) {
      ways.update(found.get(), spec);
      JsonNode way = ways.get(found.get()).orElse(json.createObjectNode());
      codes.active(code.state(), found.get(), way.path("qr_code").asText(null), specJson, hash, clock.millis());
      tally.adopted.incrementAndGet();
      fetchQr(code.state(), way.path("qr_code").asText(null));
      return;
    }
    codes.recreating(code.state(), code.channel().id(), code.storeId(), specJson, hash, clock.millis());
    create(code.state(), spec, specJson, hash, tally);
  }

  private void create(String state, ObjectNode spec, String specJson, String hash, Tally tally) throws WeComApiException {
    ContactWays.Created created = ways.add(spec);
    codes.active(state, created.configId(), created.qrUrl(), specJson, hash, clock.millis());
    tally.created.incrementAndGet();
    log.info("channel code {} created (config_id {})", state, created.configId());
    fetchQr(state, created.qrUrl());
  }

  /** A code no longer declared: deleted in WeCom if Liuliang made it (found again by state if need be). */
  private void retire(ChannelCodes.Row row, Tally tally) throws WeComApiException {
    long now = clock.millis();
    if (!codes.claim(row.state(), now, now + LEASE.toMillis())) {
      return;
    }
    Optional<String> configId = row.configId() != null ? Optional.of(row.configId()) : findByState(row.state(), row);
    if (configId.isPresent()) {
      ways.delete(configId.get());
    }
    codes.deleted(row.state(), clock.millis());
    tally.deleted.incrementAndGet();
    log.info("channel code {} deleted: no longer in channels.yaml", row.state());
  }

  private Optional<String> findByState(String state, ChannelCodes.Row row) throws WeComApiException {
    return ways.findByState(state, row.createdAt(), clock.millis());
  }

  private void fetchQr(String state, String url) {
    qr.download(state, url).ifPresent(png -> codes.saveQr(state, png));
  }

  private void refused(String state, WeComApiException e, Tally tally) {
    String message = OperatorMessages.forCode(e);
    codes.failed(state, message, clock.millis());
    tally.failed.add(state + " (" + message + ")");
    log.warn("channel code {}: {}", state, e.getMessage());
  }

  /** What WeCom is asked for: the fields of {@code add_contact_way}. */
  ObjectNode spec(DeclaredCode code) {
    ObjectNode spec = json.createObjectNode()
        .put("type", code.accounts().size() == 1 ? 1 : 2).put("scene", 2).put("style", 1)
        .put("remark", code.remark()).put("skip_verify", code.skipVerify()).put("state", code.state());
    code.accounts().forEach(spec.putArray("user")::add);
    return spec;
  }

  private int type(String specJson) {
    try {
      return json.readTree(specJson).path("type").asInt();
    } catch (Exception e) {
      return 0;
    }
  }

  /** Counted from several threads. */
  private static final class Tally {
    final java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger updated = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger deleted = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger unchanged = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger adopted = new java.util.concurrent.atomic.AtomicInteger();
    final List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());

    Report report() {
      return new Report(created.get(), updated.get(), deleted.get(), unchanged.get(), adopted.get(), List.copyOf(failed));
    }
  }
}
