package app.liuliang.wecom;

import java.time.Duration;
import me.chanjar.weixin.common.util.http.apache.ApacheHttpClientBuilder;
import org.apache.http.HttpHost;
import org.apache.http.client.HttpRequestRetryHandler;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.conn.ConnectionKeepAliveStrategy;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * The HTTP client under WxJava, sized for the outbox. WxJava's default allows 10 connections per
 * host: against a WeCom that answers in 40 ms that caps every API together at 250 calls a second,
 * and a burst of new patients (a lookup, a welcome and a tag each) at about 80 a second. Apache's
 * own retries are off: a POST it repeated on its own could reach a patient twice; the outbox decides.
 */
final class PooledHttpClientBuilder implements ApacheHttpClientBuilder {

  /** Connections to WeCom at once: every outbox sender and inbox lane, with room to spare. */
  static final int MAX_CONNECTIONS = 200;
  /** A WeCom that has not answered in 5 s is stalled: the outcome becomes unknown and is checked. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  /** Waiting for a free pooled connection: the request was never sent (retried like a busy answer). */
  static final Duration POOL_TIMEOUT = Duration.ofSeconds(2);

  private String proxyHost;
  private int proxyPort;
  private SSLConnectionSocketFactory ssl;
  private ConnectionKeepAliveStrategy keepAlive;

  @Override
  public CloseableHttpClient build() {
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
    pool.setMaxTotal(MAX_CONNECTIONS);
    pool.setDefaultMaxPerRoute(MAX_CONNECTIONS);
    pool.setValidateAfterInactivity(2_000);
    RequestConfig timeouts = RequestConfig.custom()
        .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
        .setSocketTimeout((int) READ_TIMEOUT.toMillis())
        .setConnectionRequestTimeout((int) POOL_TIMEOUT.toMillis())
        .build();
    HttpClientBuilder builder = HttpClients.custom().setConnectionManager(pool).setDefaultRequestConfig(timeouts)
        .disableAutomaticRetries().evictIdleConnections(60, java.util.concurrent.TimeUnit.SECONDS);
    if (proxyHost != null && !proxyHost.isEmpty()) {
      builder.setProxy(new HttpHost(proxyHost, proxyPort));
    }
    if (ssl != null) {
      builder.setSSLSocketFactory(ssl);
    }
    if (keepAlive != null) {
      builder.setKeepAliveStrategy(keepAlive);
    }
    return builder.build();
  }

  @Override
  public ApacheHttpClientBuilder httpProxyHost(String host) {
    this.proxyHost = host;
    return this;
  }

  @Override
  public ApacheHttpClientBuilder httpProxyPort(int port) {
    this.proxyPort = port;
    return this;
  }

  @Override
  public ApacheHttpClientBuilder httpProxyUsername(String user) {
    // A proxy that needs credentials is not supported: egress goes through the corp's trusted IP directly.
    return this;
  }

  @Override
  public ApacheHttpClientBuilder httpProxyPassword(String password) {
    return this;
  }

  @Override
  public ApacheHttpClientBuilder httpRequestRetryHandler(HttpRequestRetryHandler handler) {
    // Ignored on purpose: no automatic retries (see the class comment).
    return this;
  }

  @Override
  public ApacheHttpClientBuilder keepAliveStrategy(ConnectionKeepAliveStrategy strategy) {
    this.keepAlive = strategy;
    return this;
  }

  @Override
  public ApacheHttpClientBuilder sslConnectionSocketFactory(SSLConnectionSocketFactory factory) {
    this.ssl = factory;
    return this;
  }
}
