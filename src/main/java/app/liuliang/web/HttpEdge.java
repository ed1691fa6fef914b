package app.liuliang.web;

import app.liuliang.logging.ThrottledLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every response gets, whichever route answers: {@code X-Content-Type-Options: nosniff}, and
 * for an exception no route handled, a bare 500 with one log line that names the failing class and
 * our frame, never the exception's message (a library's message can carry a secret or a patient's
 * words, as WxJava's signature helper carries the Token).
 */
public final class HttpEdge implements Routes {

  private static final Logger log = LoggerFactory.getLogger(HttpEdge.class);

  private final MeterRegistry meters;
  private final ThrottledLog errors;

  public HttpEdge(MeterRegistry meters, Clock clock) {
    this.meters = meters;
    this.errors = new ThrottledLog(log, clock, Duration.ofMinutes(1));
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
    routes.exception(Exception.class, this::unexpected);
  }

  private void unexpected(Exception e, Context ctx) {
    String where = describe(e);
    meters.counter("liuliang.http.unexpected_errors", "exception", e.getClass().getSimpleName()).increment();
    errors.warn(where, "unexpected error on " + ctx.method() + " " + pathOf(ctx) + ": " + where);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType("text/plain; charset=utf-8").result("internal error");
  }

  private static String pathOf(Context ctx) {
    String path = ctx.path();
    return (path.length() > 80 ? path.substring(0, 80) : path).replaceAll("\\p{Cntrl}", "?");
  }

  /** The exception's class chain and the first of our frames: enough to find the bug, nothing more. */
  static String describe(Throwable e) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null && chain.length() < 300; t = t.getCause()) {
      chain.append(chain.length() == 0 ? "" : " <- ").append(t.getClass().getName());
    }
    for (StackTraceElement frame : e.getStackTrace()) {
      if (frame.getClassName().startsWith("app.liuliang.")) {
        chain.append(" at ").append(frame.getClassName()).append('.').append(frame.getMethodName())
            .append(':').append(frame.getLineNumber());
        break;
      }
    }
    return chain.toString();
  }
}
