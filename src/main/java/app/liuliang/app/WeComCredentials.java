package app.liuliang.app;

/**
 * Who we are to WeCom. In sandbox mode these are the built-in sample values and
 * {@code apiBaseUrl} is filled in once the embedded fake WeCom has a port.
 */
public record WeComCredentials(
    String corpId, String agentId, String secret, String token, String aesKey,
    String apiBaseUrl, boolean sandbox) {

  /** Sample credentials for the built-in sandbox: not secrets, they open nothing real. */
  public static WeComCredentials sandboxDefaults() {
    return new WeComCredentials("wwsandbox0000000001", "1000002", "sandbox-secret",
        "SandboxToken", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", null, true);
  }

  public WeComCredentials withApiBaseUrl(String url) {
    return new WeComCredentials(corpId, agentId, secret, token, aesKey, url, sandbox);
  }

  public int agentIdAsInt() {
    return Integer.parseInt(agentId);
  }

  /** For logs: ids shown, secrets masked. */
  @Override
  public String toString() {
    return "WeComCredentials[corpId=" + corpId + ", agentId=" + agentId + ", secret=" + mask(secret)
        + ", token=" + mask(token) + ", aesKey=" + mask(aesKey) + ", apiBaseUrl=" + apiBaseUrl
        + ", sandbox=" + sandbox + "]";
  }

  private static String mask(String secret) {
    return secret == null || secret.isEmpty() ? "(unset)" : "****";
  }
}
