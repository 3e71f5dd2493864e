package accord.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real accord_server for the tests: $ACCORD_SERVER_BIN (default {@code
 * <repo>/build/accord_server}) on 127.0.0.1:0 with the bundled catalogue; the address is read
 * from the line it logs when it listens.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (127\\.0\\.0\\.1:\\d+)");

  private final Process process;
  private final String address;

  /** The repository root, from the accord.root system property Maven sets. */
  static Path repoRoot() {
    return Path.of(System.getProperty("accord.root", "../..")).toAbsolutePath().normalize();
  }

  ServerProcess(String... flags) throws IOException, InterruptedException {
    String binary = System.getenv().getOrDefault(
        "ACCORD_SERVER_BIN", repoRoot().resolve("build/accord_server").toString());
    String catalog = System.getenv().getOrDefault(
        "ACCORD_CATALOG", repoRoot().resolve("data/catalogue").toString());
    List<String> command = new ArrayList<>(List.of(binary, "--listen=127.0.0.1:0", "--catalog=" + catalog));
    command.addAll(List.of(flags));
    process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader stderr = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> found = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = stderr.readLine()) != null; ) {
          if (!found.isDone()) {
            log.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) found.complete(m.group(1));
          }
        }
      } catch (IOException ignored) {
        // The server exited.
      }
      found.complete(null);
    });
    reader.setDaemon(true);
    reader.start();
    String got;
    try {
      got = found.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      got = null;
    }
    if (got == null) {
      process.destroyForcibly();
      throw new IllegalStateException("accord_server did not start:\n" + log);
    }
    address = got;
  }

  /** "127.0.0.1:port". */
  String address() {
    return address;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
