package app.liuliang.cli;

import app.liuliang.app.Settings;
import app.liuliang.app.Wiring;
import app.liuliang.config.Problems;
import app.liuliang.logging.LogFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the server and runs until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the server (sandbox mode when WECOM_CORP_ID is not set).")
public final class ServeCommand implements Callable<Integer> {

  // scripts/run.sh starts the server once this way after a build, to record the classes it loads for
  // class-data sharing; the exit (through the shutdown hook) writes the archive.
  @Option(names = "--exit-when-ready", hidden = true, description = "Start, then stop at once.")
  boolean exitWhenReady;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    String logDir = System.getenv(LogFiles.LOG_DIR);
    if (logDir != null && !logDir.isBlank()) {
      LogFiles.useDirectory(Path.of(logDir));
      System.out.println("Logging to " + logDir + "/liuliang.log (rolling, gzipped; WARN and above also here)");
    }
    Problems problems = new Problems();
    Settings settings = Settings.load(System.getenv(), problems);
    problems.throwIfAny();
    Wiring wiring = Wiring.start(settings, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      wiring.close();
      stopped.countDown();
    }, "shutdown"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("Liuliang is listening on http://localhost:%d (ready in %d ms)%n", wiring.port(), millis);
    System.out.println(consoleLine(settings, wiring.port()));
    if (settings.wecom().sandbox()) {
      System.out.printf("%nSANDBOX MODE: no WeCom corp configured (set WECOM_CORP_ID and friends for a real one).%n"
          + "  fake WeCom API:  %s%n"
          + "  send a test callback:  scripts/simulate.sh add-contact --state meituan --name 张三%n"
          + "  what the bot sent:     curl http://localhost:%d/api/sandbox/sent%n",
          wiring.sandbox().orElseThrow().baseUrl(), wiring.port());
    }
    if (!exitWhenReady) {
      stopped.await();
    }
    return 0;
  }

  /** Where the operator console is and how it is protected: said once at start, never guessed. */
  static String consoleLine(Settings settings, int port) {
    String url = "http://localhost:" + port + "/admin";
    if (settings.adminToken().isPresent()) {
      return "Console: " + url + " (sign in with LIULIANG_ADMIN_TOKEN)";
    }
    if (settings.wecom().sandbox()) {
      return "Console: " + url + " is OPEN without sign-in (sandbox mode, LIULIANG_ADMIN_TOKEN not set)";
    }
    return "Console: off (set LIULIANG_ADMIN_TOKEN to turn it on)";
  }
}
