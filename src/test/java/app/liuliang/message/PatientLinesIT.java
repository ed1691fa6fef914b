package app.liuliang.message;

import static app.liuliang.message.KfScenario.awaitSent;
import static app.liuliang.message.KfScenario.count;
import static app.liuliang.message.KfScenario.jdbi;
import static app.liuliang.message.KfScenario.one;
import static app.liuliang.message.KfScenario.patientWrites;
import static app.liuliang.message.KfScenario.sent;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.handoff.KfOutbox;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the patient is told, by reason and urgency (shipped config, test clock): a red flag at 07:50
 * gets the safety text and the emergency phone at once and the on-call doctor is told; a sales
 * question out of hours gets the sales line, never the emergency advice; writing again while the
 * hand-off waits gets one acknowledgement per interval.
 */
class PatientLinesIT {

  private static final String APP_MESSAGE = "/cgi-bin/message/send";
  /** Wednesday 07:50 in Shanghai: before every doctor's hours; 王医生 is on call around the clock. */
  private static final Instant WEDNESDAY_0750 = Instant.parse("2026-11-24T23:50:00Z");
  /** Wednesday 22:00 in Shanghai: every doctor is off. */
  private static final Instant WEDNESDAY_22 = Instant.parse("2026-11-25T14:00:00Z");

  @Test
  void aRedFlagAt0750GetsTheSafetyTextAndTheEmergencyPhoneAndTheOnCallDoctorIsTold() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_0750)) {
      patientWrites(server, "wmBleed", "昨天拔的牙，现在血止不住了怎么办");
      awaitSent(server, KfOutbox.SEND_MSG, 1);
      awaitSent(server, APP_MESSAGE, 1);

      List<JsonNode> toPatient = sent(server, KfOutbox.SEND_MSG);
      assertThat(toPatient).hasSize(1);
      assertThat(toPatient.get(0).path("touser").asText()).isEqualTo("wmBleed");
      assertThat(toPatient.get(0).path("text").path("content").asText())
          .contains("纱布").contains("咬紧 30 分钟").contains("0571-8888 6666").contains("王医生已收到通知");
      JsonNode notice = sent(server, APP_MESSAGE).get(0);
      assertThat(notice.path("touser").asText()).isEqualTo("dr-wang");
      assertThat(notice.path("text").path("content").asText()).contains("【急】").contains("出血不止").contains("血止不住");
      // The hand-off waits for the doctor's hours as usual, without a second line to the patient.
      assertThat(one(jdbi(server), "SELECT state FROM handoffs")).isEqualTo("open");
      assertThat(one(jdbi(server), "SELECT intent FROM handoffs")).isEqualTo("red_flag:bleeding");
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM outbox WHERE purpose = 'handoff.out_of_hours'")).isZero();
      assertThat(one(jdbi(server), "SELECT intent FROM messages WHERE direction = 'in'")).contains("red_flag:bleeding");
    }
  }

  @Test
  void aSalesQuestionOutOfHoursGetsTheSalesLineNotTheEmergencyOne() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_22)) {
      patientWrites(server, "wmSales", "我想做种植牙，想找医生聊聊方案");
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      String line = sent(server, KfOutbox.SEND_MSG).get(0).path("text").path("content").asText();
      assertThat(line).contains("详细介绍方案和费用").contains("接诊时间是").doesNotContain("急诊");
      assertThat(one(jdbi(server), "SELECT reason FROM handoffs")).isEqualTo("intent");
      assertThat(sent(server, APP_MESSAGE)).isEmpty();
    }
  }

  @Test
  void painOutOfHoursStillGetsTheEmergencyAdvice() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_22)) {
      patientWrites(server, "wmPain", "牙疼得睡不着");
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      assertThat(sent(server, KfOutbox.SEND_MSG).get(0).path("text").path("content").asText()).contains("急诊");
    }
  }

  @Test
  void writingAgainWhileTheHandoffWaitsGetsOneAcknowledgementPerInterval() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_22)) {
      patientWrites(server, "wmAgain", "牙疼得睡不着");
      patientWrites(server, "wmAgain", "还是很疼");
      // Within 30 minutes of the out-of-hours line: nothing more.
      assertThat(acknowledgements(server)).isZero();

      server.clock().advance(Duration.ofMinutes(31));
      patientWrites(server, "wmAgain", "疼得更厉害了");
      patientWrites(server, "wmAgain", "在吗");
      patientWrites(server, "wmAgain", "有人吗");
      assertThat(acknowledgements(server)).isEqualTo(1);

      server.clock().advance(Duration.ofMinutes(30));
      patientWrites(server, "wmAgain", "还在疼");
      assertThat(acknowledgements(server)).isEqualTo(2);
      awaitSent(server, KfOutbox.SEND_MSG, 3);
      assertThat(sent(server, KfOutbox.SEND_MSG).get(1).path("text").path("content").asText())
          .contains("收到您的消息").contains("王医生");
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM handoffs")).isEqualTo(1);
    }
  }

  private static int acknowledgements(TestServer server) {
    return count(jdbi(server), "SELECT COUNT(*) FROM outbox WHERE purpose = 'handoff.acknowledge'");
  }
}
