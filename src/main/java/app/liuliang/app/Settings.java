package app.liuliang.app;

import app.liuliang.callback.CallbackCrypto;
import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import app.liuliang.store.StoreKind;
import app.liuliang.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The effective settings: {@code config/app.yaml} overridden by the environment. The environment
 * variable names are a contract other tools drive the server with; keep them as written.
 */
public record Settings(
    AppConfig app,
    WeComCredentials wecom,
    int port,
    Path dataDir,
    Path configDir,
    Optional<String> adminToken,
    StoreLocation store,
    String nodeId) {

  public static final String CORP_ID = "WECOM_CORP_ID";
  public static final String AGENT_ID = "WECOM_AGENT_ID";
  public static final String SECRET = "WECOM_SECRET";
  public static final String TOKEN = "WECOM_TOKEN";
  public static final String AES_KEY = "WECOM_AES_KEY";
  public static final String API_BASE_URL = "WECOM_API_BASE_URL";
  public static final String PORT = "LIULIANG_PORT";
  public static final String DATA_DIR = "LIULIANG_DATA_DIR";
  public static final String CONFIG_DIR = "LIULIANG_CONFIG_DIR";
  public static final String ADMIN_TOKEN = "LIULIANG_ADMIN_TOKEN";
  public static final String NODE_ID = "LIULIANG_NODE_ID";

  /** Reads the settings; every problem (config or environment) lands in {@code problems}. */
  public static Settings load(Map<String, String> env, Problems problems) {
    Path configDir = Path.of(env.getOrDefault(CONFIG_DIR, "./config"));
    Path dataDir = Path.of(env.getOrDefault(DATA_DIR, "./data"));
    Path appFile = configDir.resolve("app.yaml");
    AppConfig app = AppConfig.defaults();
    if (Files.exists(appFile)) {
      YamlDocument<AppConfig> doc = new YamlReader().read(appFile, AppConfig.class, problems);
      if (doc.isValid()) {
        app = doc.value();
      }
    }
    int port = app.server().port();
    String portText = env.get(PORT);
    if (portText != null) {
      try {
        port = Integer.parseInt(portText.trim());
        if (port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add(envProblem(PORT + "=\"" + portText + "\" is not a port", "use a number from 0 to 65535"));
      }
    }
    WeComCredentials wecom = credentials(env, app, problems);
    String admin = env.get(ADMIN_TOKEN);
    Optional<String> adminToken = admin == null || admin.isBlank() ? Optional.empty() : Optional.of(admin);
    StoreLocation store = StoreLocation.sqlite(dataDir);
    try {
      store = StoreLocation.fromEnvironment(env, dataDir);
    } catch (IllegalArgumentException e) {
      problems.add(envProblem(e.getMessage(), "e.g. jdbc:postgresql://127.0.0.1:5432/liuliang, or unset it for SQLite"));
    }
    return new Settings(app, wecom, port, dataDir, configDir, adminToken, store, nodeId(env));
  }

  /** {@code LIULIANG_NODE_ID}, or host name and pid: unique per process, readable in logs and claims. */
  static String nodeId(Map<String, String> env) {
    String configured = env.get(NODE_ID);
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = env.getOrDefault("HOSTNAME", "node");
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  /** The same settings with other credentials (the sandbox's fake WeCom, say). */
  public Settings withWeCom(WeComCredentials credentials) {
    return new Settings(app, credentials, port, dataDir, configDir, adminToken, store, nodeId);
  }

  /** The same settings over another data folder (offline commands' {@code --data-dir}). */
  public Settings withDataDir(Path folder) {
    StoreLocation location = store.kind() == StoreKind.SQLITE ? StoreLocation.sqlite(folder) : store;
    return new Settings(app, wecom, port, folder, configDir, adminToken, location, nodeId);
  }

  private static WeComCredentials credentials(Map<String, String> env, AppConfig app, Problems problems) {
    String corpId = env.get(CORP_ID);
    if (corpId == null || corpId.isBlank()) {
      return WeComCredentials.sandboxDefaults();
    }
    String agentId = env.getOrDefault(AGENT_ID, app.wecom().agentId());
    for (String name : new String[] {SECRET, TOKEN, AES_KEY}) {
      if (env.get(name) == null || env.get(name).isBlank()) {
        problems.add(envProblem(name + " is not set, but " + CORP_ID + " is",
            "a real corp needs " + SECRET + ", " + TOKEN + " and " + AES_KEY + "; unset " + CORP_ID + " for the sandbox"));
      }
    }
    if (agentId == null || !agentId.matches("\\d+")) {
      problems.add(envProblem(AGENT_ID + " must be the app's numeric AgentId, was \"" + agentId + "\"",
          "find it in the WeCom admin console under 应用管理"));
    }
    String aesKey = env.get(AES_KEY);
    if (aesKey != null && !aesKey.isBlank() && !isEncodingAesKey(aesKey)) {
      problems.add(envProblem(AES_KEY + " is not a valid 43-character EncodingAESKey (length " + aesKey.length() + ")",
          "copy it again from the app's 接收消息 settings"));
    }
    String baseUrl = env.getOrDefault(API_BASE_URL, app.wecom().apiBaseUrl());
    return new WeComCredentials(corpId, agentId, env.get(SECRET), env.get(TOKEN), aesKey, baseUrl, false);
  }

  private static boolean isEncodingAesKey(String key) {
    if (key.length() != 43) {
      return false;
    }
    try {
      new CallbackCrypto("probe", key, "probe");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static ConfigProblem envProblem(String message, String hint) {
    return new ConfigProblem(Path.of("(environment)"), 1, 1, message, hint);
  }

  public String adminTokenOrEmpty() {
    return adminToken.orElse("");
  }
}
