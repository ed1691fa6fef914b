package app.liuliang.wecom;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.concurrent.locks.Lock;
import me.chanjar.weixin.common.bean.WxAccessToken;
import me.chanjar.weixin.common.enums.WxType;
import me.chanjar.weixin.common.error.WxError;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.common.util.http.RequestExecutor;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.config.WxCpConfigStorage;
import me.chanjar.weixin.cp.constant.WxCpApiPathConsts;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.BasicResponseHandler;

/**
 * WxJava's service with two changes, both about surviving outages:
 * <ul>
 *   <li>its retry loop is taken out: it sleeps the calling thread for up to 31 s on errcode -1 and
 *       then throws an exception that has lost the errcode. The outbox retries instead, with backoff
 *       that holds no thread. Token refresh on 40014/42001/40001 stays WxJava's.</li>
 *   <li>the token fetch no longer closes the shared HTTP client (4.7.x opens it in a
 *       try-with-resources), which broke every call after the first refresh.</li>
 * </ul>
 */
final class DirectWxCpService extends WxCpServiceImpl {

  /** Failed {@code gettoken} calls by errcode ("transport" when WeCom did not answer): an alert condition. */
  static final String TOKEN_FAILURES = "liuliang.wecom.token.failures";

  private final MeterRegistry meters;

  DirectWxCpService(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public <T, E> T execute(RequestExecutor<T, E> executor, String uri, E data) throws WxErrorException {
    return executeInternal(executor, uri, data, false);
  }

  @Override
  public String getAccessToken(boolean forceRefresh) throws WxErrorException {
    WxCpConfigStorage config = getWxCpConfigStorage();
    if (!config.isAccessTokenExpired() && !forceRefresh) {
      return config.getAccessToken();
    }
    Lock lock = config.getAccessTokenLock();
    lock.lock();
    try {
      if (!config.isAccessTokenExpired() && !forceRefresh) {
        return config.getAccessToken();
      }
      String url = String.format(config.getApiUrl(WxCpApiPathConsts.GET_TOKEN), config.getCorpId(), config.getCorpSecret());
      HttpGet get = new HttpGet(url);
      String body;
      try (CloseableHttpResponse response = getRequestHttpClient().execute(get)) {
        body = new BasicResponseHandler().handleResponse(response);
      } catch (IOException e) {
        meters.counter(TOKEN_FAILURES, "errcode", "transport").increment();
        throw new WxRuntimeException(e);
      } finally {
        get.releaseConnection();
      }
      WxError error = WxError.fromJson(body, WxType.CP);
      if (error.getErrorCode() != 0) {
        meters.counter(TOKEN_FAILURES, "errcode", String.valueOf(error.getErrorCode())).increment();
        throw new WxErrorException(error);
      }
      WxAccessToken token = WxAccessToken.fromJson(body);
      config.updateAccessToken(token.getAccessToken(), token.getExpiresIn());
      return config.getAccessToken();
    } finally {
      lock.unlock();
    }
  }
}
