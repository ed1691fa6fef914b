package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import app.liuliang.testing.WeComFake.Fault;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * New patients keep adding the assistant (20 a second) through a WeCom outage that changes face every
 * 4 s: busy (45009), HTTP 503 from the gateway, stalls past the read timeout (half of them acted on),
 * then no listener at all; then WeCom recovers. Every patient gets exactly one of welcome or
 * fallback, none gets neither, and no send is left uncertain. Real time runs here (a welcome code
 * dies 20 s after its event), so this test takes about a minute.
 */
class WelcomeOutageIT {

  private static final int PER_SECOND = 20;
  /** Seconds into the burst at which each phase starts: normal, busy, 503, stalls, refused, normal. */
  private static final int[] PHASES = {0, 3, 7, 11, 15, 19};
  private static final int SECONDS = 23;

  @Test
  void everyPatientGetsExactlyOneOfWelcomeOrFallbackThroughAnOutage() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ofMillis(40));
        TestServer server = TestServer.builder().clock(MutableClock.ticking()).wecom(wecom)
            .without("sop", "campaigns", "journeys.yaml").start()) {
      NewPatientLedger ledger = new NewPatientLedger(wecom, server.clock());

      ledger.burst(server.baseUrl(), "wmOut", PER_SECOND * SECONDS, PER_SECOND, i -> {
        int second = i / PER_SECOND;
        if (i % PER_SECOND == 0) {
          phaseAt(wecom, second);
        }
      });
      Jdbi store = server.wiring().foundation().database().jdbi();
      awaitUntil(Duration.ofMinutes(3), ledger.settled(store));

      NewPatientLedger.Verdict verdict = ledger.judge(store);
      System.out.println("outage: " + ledger.summary());
      assertThat(ledger.acked()).isEqualTo(PER_SECOND * SECONDS);
      assertThat(verdict.clean()).as(verdict.toString()).isTrue();
      // Each way out was taken: welcomes, fallbacks for codes that died in the outage, and stalled
      // welcomes WeCom had acted on, confirmed by 41051 instead of being followed by a fallback.
      assertThat(ledger.welcomed()).isPositive();
      assertThat(ledger.fellBack()).isPositive();
      int confirmedBy41051 = store.withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM welcomes WHERE status = 'sent' AND errcode = 41051").mapTo(Integer.class).one());
      assertThat(confirmedBy41051).isPositive();
    }
  }

  private static void phaseAt(WeComFake wecom, int second) {
    if (second == PHASES[1]) {
      wecom.fault(Fault.BUSY);
    } else if (second == PHASES[2]) {
      wecom.fault(Fault.GATEWAY_503);
    } else if (second == PHASES[3]) {
      wecom.fault(Fault.STALL);
    } else if (second == PHASES[4]) {
      wecom.fault(Fault.NONE);
      wecom.refuseConnections(true);
    } else if (second == PHASES[5]) {
      wecom.refuseConnections(false);
    }
  }

  static void awaitUntil(Duration limit, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not settled within " + limit);
      }
      Thread.sleep(200);
    }
  }
}
