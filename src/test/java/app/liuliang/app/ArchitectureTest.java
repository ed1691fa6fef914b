package app.liuliang.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the house-style boundaries: who may import Javalin, and who may import WxJava. */
class ArchitectureTest {

  private static final Path SOURCES = Path.of("src/main/java/app/liuliang");

  private static List<String> filesImporting(String prefix, List<String> allowedPackages) throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> allowedPackages.stream().noneMatch(p -> SOURCES.relativize(f).startsWith(p)))
          .filter(f -> {
            try {
              return Files.readAllLines(f).stream().anyMatch(l -> l.startsWith("import " + prefix)
                  || l.startsWith("import static " + prefix));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(Path::toString).toList();
    }
  }

  @Test
  void onlyAppCallbackAndWebImportJavalin() throws IOException {
    assertThat(filesImporting("io.javalin", List.of("app", "callback", "web"))).isEmpty();
  }

  @Test
  void onlyWeComAndTheCallbackCryptoImportWxJava() throws IOException {
    assertThat(filesImporting("me.chanjar", List.of("wecom", "callback/CallbackCrypto.java"))).isEmpty();
  }
}
