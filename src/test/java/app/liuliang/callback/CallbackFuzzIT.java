package app.liuliang.callback;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.TestServer;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Thousands of mutated callbacks, as an attacker or a broken proxy would send them: empty and
 * missing parameters, truncated and garbled XML, cut CDATA, bad encodings, signed messages that
 * are not well-formed. Every one must get a 4xx, none may be stored, and the log must hold no secret
 * and stay short (refusals are counted in full but logged once per kind and minute).
 */
class CallbackFuzzIT {

  private static final int ROUNDS = 3_000;
  private static final String SECRET = "test-secret";

  private static TestServer server;
  private static CallbackCrypto crypto;
  private static ListAppender<ILoggingEvent> logged;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder().start();
    crypto = new CallbackCrypto(TestServer.TOKEN, TestServer.AES_KEY, TestServer.CORP_ID);
    logged = new ListAppender<>();
    logged.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logged);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logged);
    server.close();
  }

  @Test
  void mutatedCallbacksAreRefusedWith4xxAndLeaveNoSecretInTheLog() throws Exception {
    server.wiring().foundation().database().jdbi().useHandle(h -> h.execute("DELETE FROM inbox"));
    logged.list.clear();
    Random random = new Random(20261202L);
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> unexpected = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      Mutant mutant = mutate(random, i);
      HttpResponse<String> reply = send(mutant);
      statuses.merge(reply.statusCode(), 1, Integer::sum);
      if (reply.statusCode() < 400 || reply.statusCode() >= 500) {
        unexpected.add(mutant.kind + " -> " + reply.statusCode());
      }
    }

    assertThat(unexpected).as("every mutant refused with a 4xx (statuses %s)", statuses).isEmpty();
    long stored = server.wiring().foundation().database().jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inbox").mapTo(Long.class).one());
    assertThat(stored).isZero();
    List<String> lines = logged.list.stream().map(CallbackFuzzIT::render).toList();
    assertThat(String.join("\n", lines)).doesNotContain(TestServer.TOKEN, TestServer.AES_KEY, SECRET);
    assertThat(lines).noneMatch(line -> line.contains("\tat "));
    // One line per kind of refusal and minute: a handful, not thousands.
    assertThat(lines.size()).isLessThan(60);
  }

  @Test
  void aWellFormedCallbackStillGoesThroughAfterTheFlood() throws Exception {
    String message = CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily", "wmAfterFuzz",
        "meituan", "CODE-AFTER", server.clock().millis() / 1000);
    assertThat(server.postCallback(message).statusCode()).isEqualTo(200);
  }

  private static String render(ILoggingEvent event) {
    String thrown = event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy());
    return event.getFormattedMessage() + thrown;
  }

  /** One malformed request: where it goes, what it carries, and what was done to it. */
  private record Mutant(String kind, boolean get, String query, byte[] body) {
  }

  private static Mutant mutate(Random random, int i) {
    String timestamp = String.valueOf(server.clock().millis() / 1000);
    String nonce = "n" + i;
    String message = CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily", "wmFuzz" + i,
        "meituan", "CODE-FUZZ-" + i, server.clock().millis() / 1000);
    String encrypted = crypto.seal(message);
    String envelope = "<xml><ToUserName><![CDATA[" + TestServer.CORP_ID + "]]></ToUserName><Encrypt><![CDATA["
        + encrypted + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
    String signature = crypto.sign(timestamp, nonce, encrypted);
    return switch (i % 10) {
      case 0 -> new Mutant("empty or missing parameters", random.nextBoolean(),
          queryWithHoles(random, signature, timestamp, nonce, encrypted), utf8(envelope));
      case 1 -> new Mutant("body cut short", false, query(signature, timestamp, nonce),
          utf8(envelope.substring(0, random.nextInt(envelope.length()))));
      case 2 -> new Mutant("CDATA cut short", false, query(signature, timestamp, nonce),
          utf8("<xml><Encrypt><![CDATA[" + encrypted.substring(0, random.nextInt(encrypted.length()))));
      case 3 -> new Mutant("ciphertext bytes flipped", false, query(signature, timestamp, nonce),
          flip(random, utf8(envelope), envelope.indexOf(encrypted), encrypted.length()));
      case 4 -> new Mutant("invalid UTF-8 in the ciphertext", false, query(signature, timestamp, nonce),
          invalidUtf8(random, envelope, envelope.indexOf(encrypted), encrypted.length()));
      case 5 -> signedButMalformed(random, timestamp, nonce, message);
      case 6 -> new Mutant("ciphertext not base64", false, signedQuery(timestamp, nonce, "%%" + encrypted),
          utf8(envelope.replace(encrypted, "%%" + encrypted)));
      case 7 -> {
        // Past the padding: without its '=' a base64 text still decodes to the same bytes.
        String unpadded = encrypted.replace("=", "");
        String cut = unpadded.substring(0, unpadded.length() - 1 - random.nextInt(20));
        yield new Mutant("signed ciphertext cut short", false, signedQuery(timestamp, nonce, cut),
            utf8(envelope.replace(encrypted, cut)));
      }
      case 8 -> new Mutant("url check with bad echostr", true,
          queryWithHoles(random, crypto.sign(timestamp, nonce, "x" + i), timestamp, nonce, "x" + i), new byte[0]);
      default -> new Mutant("random bytes", random.nextBoolean(), randomQuery(random), randomBytes(random));
    };
  }

  /** A message that is signed and sealed correctly but is not a well-formed document. */
  private static Mutant signedButMalformed(Random random, String timestamp, String nonce, String message) {
    String[] broken = {
        message.substring(0, random.nextInt(message.length() - 1)),
        message.replace("]]>", ""),
        message.replace("<xml>", "<!DOCTYPE x [<!ENTITY a \"b\">]><xml>"),
        "<xml>" + "<a>".repeat(20) + "</xml>",
        "",
    };
    String inner = broken[random.nextInt(broken.length)];
    String sealed = crypto.seal(inner);
    String envelope = "<xml><Encrypt><![CDATA[" + sealed + "]]></Encrypt></xml>";
    return new Mutant("signed, malformed inside", false, signedQuery(timestamp, nonce, sealed), utf8(envelope));
  }

  private static String signedQuery(String timestamp, String nonce, String encrypted) {
    return query(crypto.sign(timestamp, nonce, encrypted), timestamp, nonce);
  }

  private static String query(String signature, String timestamp, String nonce) {
    return "msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce;
  }

  /** Each parameter present, empty, missing or junk; never all four right. */
  private static String queryWithHoles(Random random, String signature, String timestamp, String nonce, String echo) {
    String[][] parts = {{"msg_signature", signature}, {"timestamp", timestamp}, {"nonce", nonce}, {"echostr", echo}};
    int broken = random.nextInt(3);
    StringBuilder query = new StringBuilder();
    for (int p = 0; p < parts.length; p++) {
      String value = parts[p][1];
      int how = p == broken ? 1 + random.nextInt(3) : random.nextInt(4);
      if (how == 3) {
        continue;
      }
      value = switch (how) {
        case 1 -> "";
        case 2 -> "\u0000\n" + value.substring(0, Math.min(3, value.length()));
        default -> value;
      };
      query.append(query.length() == 0 ? "" : "&").append(parts[p][0]).append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
    return query.toString();
  }

  private static String randomQuery(Random random) {
    return "msg_signature=" + Long.toHexString(random.nextLong()) + "&timestamp=" + random.nextInt()
        + "&nonce=" + random.nextInt() + "&echostr=" + Long.toHexString(random.nextLong());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Flips bits inside the signed part (the ciphertext; the rest of the envelope is not signed). */
  private static byte[] flip(Random random, byte[] bytes, int from, int length) {
    byte[] copy = bytes.clone();
    for (int n = 0; n < 1 + random.nextInt(8); n++) {
      copy[from + random.nextInt(length)] ^= (byte) (1 << random.nextInt(7));
    }
    return copy;
  }

  private static byte[] invalidUtf8(Random random, String envelope, int from, int length) {
    byte[] bytes = utf8(envelope);
    bytes[from + random.nextInt(length)] = (byte) (0xC0 | random.nextInt(2));
    return bytes;
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(2_000)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static HttpResponse<String> send(Mutant mutant) throws Exception {
    URI uri = URI.create(server.baseUrl() + "/wecom/callback?" + mutant.query());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "text/xml");
    request = mutant.get() ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofByteArray(mutant.body()));
    return server.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
