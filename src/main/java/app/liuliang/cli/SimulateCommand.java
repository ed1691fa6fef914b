package app.liuliang.cli;

import app.liuliang.app.Settings;
import app.liuliang.app.WeComCredentials;
import app.liuliang.callback.CallbackCrypto;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.ChannelCatalog;
import app.liuliang.sandbox.CallbackSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Sends a correctly signed, encrypted callback to a running server and prints the reply and what
 * the bot then sent to the sandbox.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Send a signed, encrypted test callback to a running server.",
    subcommands = {SimulateCommand.AddContact.class, SimulateCommand.ContactChange.class, SimulateCommand.Raw.class,
        SimulateCommand.KfMessage.class, SimulateCommand.GroupJoin.class, SimulateCommand.GroupLeave.class})
public final class SimulateCommand {

  @Option(names = "--url", description = "Server base URL (default http://localhost:$LIULIANG_PORT or 8080).")
  String url;

  @Option(names = "--wait", defaultValue = "2", description = "Seconds to wait before showing what the bot sent (default ${DEFAULT-VALUE}).")
  int waitSeconds;

  String baseUrl() {
    return url != null ? url : "http://localhost:" + System.getenv().getOrDefault(Settings.PORT, "8080");
  }

  /** Signs, posts, waits, and prints; shared by the subcommands. */
  int send(String plainXml) throws Exception {
    Problems problems = new Problems();
    WeComCredentials credentials = Settings.load(System.getenv(), problems).wecom();
    CallbackCrypto crypto = new CallbackCrypto(credentials.token(), credentials.aesKey(), credentials.corpId());
    CallbackSimulator simulator = new CallbackSimulator(crypto, Clock.systemUTC());
    HttpClient http = HttpClient.newHttpClient();
    long since = System.currentTimeMillis();
    HttpResponse<String> reply = simulator.post(http, baseUrl(), simulator.sign(plainXml));
    System.out.printf("callback -> %d %s%n", reply.statusCode(), reply.body());
    if (reply.statusCode() != 200) {
      return 1;
    }
    Thread.sleep(waitSeconds * 1000L);
    HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/sandbox/sent?since=" + since)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (sent.statusCode() != 200) {
      System.out.println("(not in sandbox mode: see the server log for what was sent)");
      return 0;
    }
    JsonNode calls = new ObjectMapper().readTree(sent.body());
    System.out.printf("the bot sent %d request(s) to WeCom:%n", calls.size());
    for (JsonNode call : calls) {
      System.out.printf("  %s %s%n", call.path("method").asText(), call.path("path").asText());
      String body = call.path("body").asText("");
      if (!body.isEmpty()) {
        System.out.println("    " + body);
      }
    }
    return 0;
  }

  static String corpId() {
    return Settings.load(System.getenv(), new Problems()).wecom().corpId();
  }

  static void register(String baseUrl, String externalUserId, String name, String userId, String state) throws Exception {
    String json = new ObjectMapper().createObjectNode().put("external_userid", externalUserId).put("name", name)
        .put("userid", userId).put("state", state).toString();
    HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/sandbox/contacts"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @Command(name = "add-contact", mixinStandardHelpOptions = true,
      description = "A patient adds a staff account (change_external_contact/add_external_contact).")
  static final class AddContact implements Callable<Integer> {
    @ParentCommand
    SimulateCommand parent;

    @Option(names = "--state", defaultValue = "", description = "The contact way's state (channel), e.g. meituan or ref:K001.")
    String state;

    @Option(names = "--channel", description = "Scan the channel code Liuliang made for this channel (e.g. meituan).")
    String channel;

    @Option(names = "--store", description = "With --channel: the store's code (its id or name, e.g. 城东分院).")
    String store;

    @Option(names = "--name", defaultValue = "", description = "The patient's WeChat name.")
    String name;

    @Option(names = "--user", defaultValue = "assistant-lily", description = "The staff userid added (default ${DEFAULT-VALUE}).")
    String userId;

    @Option(names = "--external-id", description = "The patient's external_userid (default: random).")
    String externalUserId;

    @Option(names = "--no-welcome-code", description = "Send no WelcomeCode (as when a chat already started).")
    boolean noWelcomeCode;

    @Override
    public Integer call() throws Exception {
      String ext = externalUserId != null ? externalUserId : "wmSIM" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
      if (channel != null) {
        state = codeState(channel, store);
      }
      register(parent.baseUrl(), ext, name, userId, state);
      String code = noWelcomeCode ? null : "WELCOME" + UUID.randomUUID().toString().replace("-", "");
      System.out.printf("patient %s (%s) adds %s via state \"%s\"%n", ext, name.isEmpty() ? "no name" : name, userId, state);
      return parent.send(CallbackSimulator.addExternalContact(corpId(), userId, ext, state.isEmpty() ? null : state, code,
          System.currentTimeMillis() / 1000));
    }
  }

  /** The patient the sandbox registered last, if it has one (a real corp's server has no such route). */
  static java.util.Optional<String> lastSimulatedPatient(String baseUrl) throws Exception {
    HttpResponse<String> last = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(baseUrl + "/api/sandbox/contacts/last")).build(), HttpResponse.BodyHandlers.ofString());
    if (last.statusCode() != 200) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.ofNullable(new ObjectMapper().readTree(last.body()).path("external_userid").asText(null));
  }

  /** The state of the channel code declared for this channel (and store) in channels.yaml. */
  static String codeState(String channel, String store) {
    Problems problems = new Problems();
    Settings settings = Settings.load(System.getenv(), problems);
    ChannelCatalog catalog = ChannelCatalog.load(settings.configDir(), new YamlReader(), null, null, problems);
    problems.throwIfAny();
    return catalog.codes().stream().filter(c -> c.channel().id().equals(channel))
        .filter(c -> store == null ? c.store() == null
            : c.store() != null && (c.store().id().equals(store) || c.store().name().equals(store)))
        .map(ChannelCatalog.DeclaredCode::state).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("channels.yaml declares no code for channel " + channel
            + (store == null ? "" : " and store " + store)));
  }

  @Command(name = "contact-change", mixinStandardHelpOptions = true,
      description = "Another change_external_contact event, e.g. del_follow_user or edit_external_contact.")
  static final class ContactChange implements Callable<Integer> {
    @ParentCommand
    SimulateCommand parent;

    @Option(names = "--type", required = true, description = "The ChangeType.")
    String type;

    @Option(names = "--user", defaultValue = "assistant-lily", description = "The staff userid (default ${DEFAULT-VALUE}).")
    String userId;

    @Option(names = "--external-id", required = true, description = "The patient's external_userid.")
    String externalUserId;

    @Override
    public Integer call() throws Exception {
      return parent.send(CallbackSimulator.externalContactChange(corpId(), type, userId, externalUserId,
          System.currentTimeMillis() / 1000));
    }
  }

  @Command(name = "raw", mixinStandardHelpOptions = true, description = "Sign and send a plaintext callback XML file.")
  static final class Raw implements Callable<Integer> {
    @ParentCommand
    SimulateCommand parent;

    @Option(names = "--xml", required = true, description = "File with the decrypted callback XML.")
    Path xml;

    @Override
    public Integer call() throws Exception {
      return parent.send(Files.readString(xml));
    }
  }

  @Command(name = "kf-message", mixinStandardHelpOptions = true,
      description = "A patient writes to WeChat Customer Service (sandbox: queues the message, then kf_msg_or_event).")
  static final class KfMessage implements Callable<Integer> {
    @ParentCommand
    SimulateCommand parent;

    @Option(names = "--text", required = true, description = "What the patient writes, e.g. 牙疼得厉害.")
    String text;

    static final String FALLBACK_PATIENT = "wmSIMkfpatient01";

    @Option(names = "--external-id",
        description = "The patient's external_userid (default: the last patient simulate add-contact made, else "
            + FALLBACK_PATIENT + ").")
    String externalUserId;

    @Option(names = "--kf", defaultValue = "wkSIMkf0001", description = "The kf account's open_kfid (default ${DEFAULT-VALUE}).")
    String openKfId;

    @Option(names = "--nickname", defaultValue = "",
        description = "The patient's WeChat nickname, as kf/customer/batchget gives it (default: 微信用户).")
    String nickname;

    @Override
    public Integer call() throws Exception {
      if (externalUserId == null) {
        externalUserId = lastSimulatedPatient(parent.baseUrl()).orElse(FALLBACK_PATIENT);
      }
      String json = new ObjectMapper().createObjectNode().put("open_kfid", openKfId).put("external_userid", externalUserId)
          .put("text", text).put("nickname", nickname).toString();
      HttpResponse<String> queued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(parent.baseUrl() + "/api/sandbox/kf-messages"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (queued.statusCode() != 201) {
        System.out.println("the server is not in sandbox mode: kf messages come from WeCom itself");
        return 1;
      }
      System.out.printf("patient %s writes to %s%n", externalUserId, openKfId);
      return parent.send(CallbackSimulator.kfMsgOrEvent(corpId(), "SIMTOKEN" + UUID.randomUUID().toString().substring(0, 8),
          openKfId, System.currentTimeMillis() / 1000));
    }
  }

  /** Moves the sandbox patient in or out of the group, then sends change_external_chat with the versions. */
  int groupChange(String chatId, String externalUserId, String name, boolean join) throws Exception {
    String json = new ObjectMapper().createObjectNode().put("external_userid", externalUserId).put("name", name)
        .put("action", join ? "join" : "leave").toString();
    HttpResponse<String> changed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(baseUrl() + "/api/sandbox/groups/" + chatId + "/members"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (changed.statusCode() != 201) {
      System.out.println("the server is not in sandbox mode: group changes come from WeCom itself");
      return 1;
    }
    JsonNode versions = new ObjectMapper().readTree(changed.body());
    System.out.printf("patient %s %s group %s%n", externalUserId, join ? "joins" : "leaves", chatId);
    return send(CallbackSimulator.externalChatChange(corpId(), chatId, "update", join ? "add_member" : "del_member",
        java.util.List.of(externalUserId), versions.path("last_version").asText(), versions.path("current_version").asText(),
        System.currentTimeMillis() / 1000));
  }

  /** The group and the patient of a group join or leave. */
  static final class GroupMemberOptions {
    @Option(names = "--chat", defaultValue = "wrOgQhDgAAimplantVIP01", description = "The group's chat_id (default ${DEFAULT-VALUE}).")
    String chatId;

    @Option(names = "--external-id", required = true, description = "The patient's external_userid.")
    String externalUserId;
  }

  @Command(name = "group-join", mixinStandardHelpOptions = true,
      description = "A patient joins a customer group (change_external_chat/update add_member; sandbox: groupchat/get shows it).")
  static final class GroupJoin implements Callable<Integer> {
    @ParentCommand
    SimulateCommand parent;

    @Mixin
    GroupMemberOptions member;

    @Option(names = "--name", defaultValue = "", description = "The patient's WeChat name.")
    String name;

    @Override
    public Integer call() throws Exception {
      return parent.groupChange(member.chatId, member.externalUserId, name, true);
    }
  }

  @Command(name = "group-leave", mixinStandardHelpOptions = true,
      description = "A patient leaves a customer group (change_external_chat/update del_member).")
  static final class GroupLeave implements Callable<Integer> {
    @ParentCommand
    SimulateCommand parent;

    @Mixin
    GroupMemberOptions member;

    @Override
    public Integer call() throws Exception {
      return parent.groupChange(member.chatId, member.externalUserId, "", false);
    }
  }
}
