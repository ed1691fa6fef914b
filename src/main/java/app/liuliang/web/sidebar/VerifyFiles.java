package app.liuliang.web.sidebar;

import app.liuliang.sidebar.SidebarSettings;
import app.liuliang.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 可信域名 verification files ({@code WW_verify_*.txt}) WeCom asks for at the domain's root: the one
 * {@code sidebar.yaml} names and any other in the config folder, each its own route, found at start.
 */
final class VerifyFiles implements Routes {

  private static final Logger log = LoggerFactory.getLogger(VerifyFiles.class);

  private final Path configDir;
  private final SidebarSettings settings;

  VerifyFiles(Path configDir, SidebarSettings settings) {
    this.configDir = configDir;
    this.settings = settings;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    for (String name : names()) {
      routes.get("/" + name, ctx -> serve(ctx, name));
    }
  }

  private List<String> names() {
    TreeSet<String> names = new TreeSet<>();
    if (!settings.verifyFile().isEmpty()) {
      names.add(settings.verifyFile());
    }
    try (Stream<Path> files = Files.list(configDir)) {
      files.map(f -> f.getFileName().toString()).filter(n -> SidebarSettings.VERIFY_NAME.matcher(n).matches())
          .forEach(names::add);
    } catch (IOException e) {
      log.warn("cannot list the config folder for WW_verify files: {}", e.getMessage());
    }
    return List.copyOf(names);
  }

  private void serve(Context ctx, String name) throws IOException {
    Path file = configDir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new NotFoundResponse();
    }
    ctx.contentType("text/plain; charset=utf-8").result(Files.readAllBytes(file));
  }
}
