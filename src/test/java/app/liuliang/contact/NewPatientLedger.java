package app.liuliang.contact;

import app.liuliang.callback.CallbackCrypto;
import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * New patients added during a bad day, and what became of each: WeCom's add events (each with its
 * welcome code, issued to the {@link WeComFake}), posted as WeCom would (and re-posted, as WeCom
 * retries what it got no 200 for), then judged against what the fake WeCom delivered and what the
 * store says. The crash and outage tests share it.
 */
final class NewPatientLedger {

  /** One patient's add event. */
  record Patient(String externalUserId, String code, long createTimeSeconds, String xml) {
  }

  /** What went wrong, patient by patient (all empty on a good day). */
  record Verdict(List<String> lost, List<String> both, List<String> neither, List<String> twice,
      List<String> disagreeing, List<String> uncertain) {

    boolean clean() {
      return lost.isEmpty() && both.isEmpty() && neither.isEmpty() && twice.isEmpty() && disagreeing.isEmpty()
          && uncertain.isEmpty();
    }

    @Override
    public String toString() {
      return "lost " + lost + ", both " + both + ", neither " + neither + ", twice " + twice
          + ", store disagreeing " + disagreeing + ", uncertain " + uncertain;
    }
  }

  private final WeComFake wecom;
  private final CallbackSimulator simulator;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Patient> patients = new ArrayList<>();
  private final Set<String> acked = ConcurrentHashMap.newKeySet();

  NewPatientLedger(WeComFake wecom, Clock clock) {
    this.wecom = wecom;
    this.simulator = new CallbackSimulator(new CallbackCrypto(TestServer.TOKEN, TestServer.AES_KEY, TestServer.CORP_ID),
        clock);
  }

  /** A patient adds the assistant now: WeCom issues a welcome code and sends the event. */
  Patient add(String externalUserId) {
    long now = System.currentTimeMillis();
    String code = "CODE-" + externalUserId;
    long createTime = now / 1000;
    wecom.issueCode(code, externalUserId, createTime * 1000);
    Patient patient = new Patient(externalUserId, code, createTime, CallbackSimulator.addExternalContact(
        TestServer.CORP_ID, "assistant-lily", externalUserId, "meituan", code, createTime));
    synchronized (patients) {
      patients.add(patient);
    }
    return patient;
  }

  /** Posts it; true on WeCom's idea of success (HTTP 200). Refused connections are what a crash looks like. */
  boolean post(String baseUrl, Patient patient) {
    try {
      HttpResponse<String> reply = simulator.post(http, baseUrl, simulator.sign(patient.xml()));
      if (reply.statusCode() == 200) {
        acked.add(patient.externalUserId());
        return true;
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * {@code count} new patients at {@code perSecond}, posted on a few threads; {@code at} runs before
   * each (the outage test switches faults on its timeline). Pacing, not a timing assertion.
   */
  void burst(String baseUrl, String prefix, int count, int perSecond, java.util.function.IntConsumer at)
      throws InterruptedException {
    burst(i -> baseUrl, prefix, count, perSecond, at);
  }

  /** As above, the i-th patient posted to {@code baseUrlFor(i)}: a load balancer in front of several nodes. */
  void burst(java.util.function.IntFunction<String> baseUrlFor, String prefix, int count, int perSecond,
      java.util.function.IntConsumer at) throws InterruptedException {
    ExecutorService posters = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    long gap = 1_000_000_000L / perSecond;
    for (int i = 0; i < count; i++) {
      long wait = start + i * gap - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      at.accept(i);
      Patient patient = add(prefix + i);
      String baseUrl = baseUrlFor.apply(i);
      posters.execute(() -> post(baseUrl, patient));
    }
    posters.shutdown();
    posters.awaitTermination(1, TimeUnit.MINUTES);
  }

  /** WeCom retries every event it got no 200 for (and, being WeCom, some it did): re-post them all. */
  void repostAll(String baseUrl) {
    for (Patient patient : patients()) {
      post(baseUrl, patient);
    }
  }

  List<Patient> patients() {
    synchronized (patients) {
      return List.copyOf(patients);
    }
  }

  boolean wasAcked(Patient patient) {
    return acked.contains(patient.externalUserId());
  }

  int acked() {
    return acked.size();
  }

  /** How it went, for the test's output: "400 patients: 310 welcomed, 90 fallbacks". */
  String summary() {
    List<Patient> all = patients();
    long welcomed = all.stream().filter(p -> wecom.welcomesTo(p.externalUserId()) > 0).count();
    long fallbacks = all.stream().filter(p -> wecom.broadcastsTo(p.externalUserId()) > 0).count();
    return all.size() + " patients: " + welcomed + " welcomed, " + fallbacks + " got the fallback, "
        + wecom.stalled() + " WeCom calls stalled";
  }

  long welcomed() {
    return patients().stream().filter(p -> wecom.welcomesTo(p.externalUserId()) > 0).count();
  }

  long fellBack() {
    return patients().stream().filter(p -> wecom.broadcastsTo(p.externalUserId()) > 0).count();
  }

  /** Every acknowledged patient got something (a welcome or a fallback) and the outbox is idle. */
  BooleanSupplier settled(Jdbi store) {
    return () -> acked.stream().allMatch(ext -> wecom.welcomesTo(ext) + wecom.broadcastsTo(ext) > 0)
        && count(store, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0;
  }

  Verdict judge(Jdbi store) {
    List<String> lost = new ArrayList<>();
    List<String> both = new ArrayList<>();
    List<String> neither = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    for (Patient patient : patients()) {
      String ext = patient.externalUserId();
      int welcomes = wecom.welcomesTo(ext);
      int fallbacks = wecom.broadcastsTo(ext);
      boolean recorded = count(store, "SELECT COUNT(*) FROM welcomes WHERE external_userid = '" + ext + "'") > 0;
      if (acked.contains(ext) && !recorded) {
        lost.add(ext);
      }
      if (welcomes > 0 && fallbacks > 0) {
        both.add(ext);
      } else if (welcomes + fallbacks == 0 && acked.contains(ext)) {
        neither.add(ext);
      }
      if (welcomes > 1 || fallbacks > 1) {
        twice.add(ext);
      }
    }
    // The welcome record and its outbox row tell one story (issue 10, point 8).
    List<String> disagreeing = store.withHandle(h -> h.createQuery(
            "SELECT w.external_userid || ':' || w.status || '/' || o.status FROM welcomes w JOIN outbox o ON o.idem_key = w.idem_key "
                + "WHERE (w.status = 'queued' AND o.status <> 'pending') OR (w.status = 'sent' AND o.status <> 'sent')")
        .mapTo(String.class).list());
    List<String> uncertain = store.withHandle(h -> h.createQuery(
            "SELECT idem_key FROM outbox WHERE status = 'uncertain'").mapTo(String.class).list());
    return new Verdict(lost, both, neither, twice, disagreeing, uncertain);
  }

  private static long count(Jdbi store, String sql) {
    return store.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
