package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The sandbox's {@code externalcontact/get_user_behavior_data}: one entry per day of the asked
 * interval (both ends included, as WeCom does), with numbers that look like a clinic's and stay the
 * same for a staff member and day however often they are asked (a hash of the two), so the 员工 page
 * of a sandbox server has figures to show. Days without chats carry no reply rate or time, as WeCom's.
 */
public final class StaffBehaviorStubs extends JsonApiStub {

  static final String PATH = "/cgi-bin/externalcontact/get_user_behavior_data";
  private static final String NAME = "sandbox-staff-behavior";
  private static final long DAY_SECONDS = 86_400;
  /** WeCom answers at most 30 days a call; a longer ask is refused as it would be. */
  private static final int MAX_DAYS = 30;

  StaffBehaviorStubs() {
    super(NAME);
  }

  static void install(WireMockServer server) {
    server.stubFor(post(urlPathEqualTo(PATH)).atPriority(5)
        .willReturn(aResponse().withStatus(200).withTransformers(NAME)));
  }

  @Override
  ObjectNode answer(String path, JsonNode body) {
    long start = body.path("start_time").asLong();
    long end = body.path("end_time").asLong();
    String userId = body.path("userid").path(0).asText("");
    long days = (end - start) / DAY_SECONDS + 1;
    if (start <= 0 || end < start || days > MAX_DAYS) {
      return error(600018, "invalid start endtime");
    }
    ObjectNode answer = ok();
    ArrayNode list = answer.putArray("behavior_data");
    for (long day = start; day <= end; day += DAY_SECONDS) {
      list.add(day(userId, day));
    }
    return answer;
  }

  /** Murmur3's finaliser: neighbouring days get unrelated numbers (a plain hash would count up). */
  private static int mix(int x) {
    x ^= x >>> 16;
    x *= 0x85ebca6b;
    x ^= x >>> 13;
    x *= 0xc2b2ae35;
    x ^= x >>> 16;
    return x & 0x7fffffff;
  }

  private ObjectNode day(String userId, long statTime) {
    int h = mix(userId.hashCode() * 31 + (int) (statTime / DAY_SECONDS));
    int chats = 4 + h % 17;
    ObjectNode day = JSON.createObjectNode().put("stat_time", statTime)
        .put("new_apply_cnt", (h >> 5) % 3)
        .put("new_contact_cnt", (h >> 7) % 6)
        .put("chat_cnt", chats)
        .put("message_cnt", chats * 3 + (h >> 9) % 11)
        .put("negative_feedback_cnt", (h >> 11) % 7 == 0 ? 1 : 0);
    day.put("reply_percentage", 70 + ((h >> 13) % 301) / 10.0).put("avg_reply_time", 1 + (h >> 3) % 25);
    return day;
  }
}
