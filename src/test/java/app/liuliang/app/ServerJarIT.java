package app.liuliang.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * target/liuliang.jar carries what the server runs and nothing of the tests or of platforms a clinic
 * does not run it on. Prints its size and what takes the room (the README quotes it).
 */
class ServerJarIT {

  private static final Path JAR = Path.of("target/liuliang.jar");

  @Test
  void theServerJarHoldsTheServerNotTheTestsAndPrintsItsSize() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("app.liuliang.app.Main");
      assertThat(names).contains("app/liuliang/app/Main.class", "db/migration/sqlite/V1__foundation.sql",
          "db/migration/postgresql/V1__foundation.sql", "org/postgresql/Driver.class",
          "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so", "org/sqlite/native/Linux/aarch64/libsqlitejdbc.so",
          "org/sqlite/native/Mac/aarch64/libsqlitejdbc.dylib", "org/sqlite/native/Windows/x86_64/sqlitejdbc.dll",
          "assets/swagger-ui/index.html");
      assertThat(names.stream().filter(n -> n.startsWith("app/liuliang/testing/") || n.startsWith("app/liuliang/bench/")
          || n.startsWith("app/liuliang/") && (n.endsWith("IT.class") || n.endsWith("Test.class"))
          || n.startsWith("org/openqa/selenium/") || n.startsWith("org/junit/") || n.startsWith("org/assertj/")))
          .as("test code, browser drivers and test libraries stay out").isEmpty();
      assertThat(names.stream().filter(n -> n.startsWith("assets/swagger-ui/swagger-ui-dist/")
          || n.startsWith("org/sqlite/native/FreeBSD/") || n.startsWith("org/sqlite/native/Linux-Android/")
          || n.startsWith("org/sqlite/native/Linux/riscv64/") || n.startsWith("org/bouncycastle/")))
          .as("WireMock's Swagger UI, SQLite builds for other platforms and Bouncy Castle stay out").isEmpty();
      assertThat(names.stream().filter(n -> n.endsWith("module-info.class"))).as("no module descriptors of the parts").isEmpty();

      Map<String, Long> compressed = new TreeMap<>();
      jar.stream().forEach(e -> compressed.merge(area(e.getName()), Math.max(e.getCompressedSize(), 0), Long::sum));
      System.out.printf("target/liuliang.jar: %.1f MB, %d entries%n", Files.size(JAR) / 1e6, names.size());
      compressed.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
          .forEach(e -> System.out.printf("  %-28s %5.1f MB%n", e.getKey(), e.getValue() / 1e6));
    }
  }

  /** The first two path levels: org/sqlite, wiremock/org, com/google, ... */
  private static String area(String name) {
    String[] parts = name.split("/");
    return parts.length > 2 ? parts[0] + "/" + parts[1] : parts[0];
  }
}
