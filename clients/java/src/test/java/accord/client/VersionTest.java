package accord.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every client shares one version: the repository's VERSION file. */
class VersionTest {
  @Test
  void pomVersionMatchesTheRepositoryVersionFile() throws Exception {
    Path file = ServerProcess.repoRoot().resolve("VERSION");
    assumeTrue(Files.exists(file), "no VERSION file in this checkout");
    assertEquals(Files.readString(file, StandardCharsets.UTF_8).trim(), System.getProperty("accord.version"));
  }
}
