package dev.carapace.keybroker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests: initdb into a temporary directory, pg_ctl start on a
 * free loopback port, trust authentication, stopped by {@link #close()}. As root it runs the
 * server as the {@code postgres} user (PostgreSQL refuses to run as root). {@link #find()} is
 * empty when the binaries are not installed, so tests can skip.
 */
final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;

  private PostgresServer(Path bin, Path data, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The directory holding initdb and pg_ctl, if PostgreSQL is installed. */
  static Optional<Path> find() {
    List<Path> candidates = new ArrayList<>();
    Path lib = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> s = Files.list(lib)) {
        s.sorted((a, b) -> b.compareTo(a)).forEach(v -> candidates.add(v.resolve("bin")));
      } catch (IOException e) {
        // fall through to PATH
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir));
      }
    }
    return candidates.stream().filter(d -> Files.isExecutable(d.resolve("initdb"))
        && Files.isExecutable(d.resolve("pg_ctl"))).findFirst();
  }

  static PostgresServer start(Path bin) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path data = Files.createTempDirectory("kbs-pg");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresServer pg = new PostgresServer(bin, data, port, root);
    if (root) {
      run(List.of("chown", "postgres", data.toString()));
    }
    pg.pg(List.of(bin.resolve("initdb").toString(), "-D", data.resolve("db").toString(),
        "-A", "trust", "-U", "postgres", "--no-sync"));
    pg.pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(),
        "-l", data.resolve("log").toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + data + " -c fsync=on", "start"));
    return pg;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  @Override
  public void close() throws IOException {
    try {
      pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(), "-m",
        "immediate", "-w", "stop"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL", e);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private void pg(List<String> command) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (asPostgresUser) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    run(cmd);
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
