package dev.carapace.runtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.sandbox.SandboxException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link Sandboxer} on a Unix-domain socket (mode 0600) with newline-delimited JSON:
 * each request is one line, answered by one line {@code {"result": ...}} or
 * {@code {"error":{"reason","message"}}}; a connection may carry any number of requests. A
 * {@code console} request turns the connection into a byte stream of the VM's console, closed when
 * the VM ends or the client disconnects. The protocol is documented in {@code runtime/README.md}.
 *
 * <p><b>Threads.</b> One accept thread ({@code carapace-sandbox-accept}) and one thread per open
 * connection ({@code carapace-sandbox-conn-<n>}, at most {@link #MAX_CONNECTIONS}; one more is
 * answered {@code BUSY} and closed). Thread-safe. {@link #close()} stops accepting, stops and
 * releases every VM (the daemon owns its sandboxer), closes every connection, joins its threads and
 * removes the socket file.
 */
public final class SandboxDaemon implements AutoCloseable {
  /** Longest request line accepted. */
  public static final int MAX_REQUEST_LINE = 64 << 10;
  /** Connections served at once. */
  public static final int MAX_CONNECTIONS = 64;

  private final Path socket;
  private final Sandboxer sandboxer;
  private final ServerSocketChannel server;
  private final ObjectMapper mapper = new ObjectMapper();
  private final RequestParser parser = new RequestParser(mapper);
  private final WireFormat wire = new WireFormat(mapper);
  private final ThreadPoolExecutor connections;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  private SandboxDaemon(Path socket, Sandboxer sandboxer, ServerSocketChannel server) {
    this.socket = socket;
    this.sandboxer = sandboxer;
    this.server = server;
    AtomicInteger n = new AtomicInteger();
    this.connections = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "carapace-sandbox-conn-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.acceptor = new Thread(this::acceptLoop, "carapace-sandbox-accept");
    this.acceptor.setDaemon(true);
  }

  /**
   * Binds {@code socket} (mode 0600 before anyone can connect: bound in a private directory, then
   * moved into place) and starts serving {@code sandboxer}, which the daemon then owns. A stale
   * socket file nobody listens on is replaced.
   *
   * @throws SandboxException {@code SOCKET_IN_USE} if a daemon listens there or the path is not
   *     a socket
   */
  public static SandboxDaemon start(Path socket, Sandboxer sandboxer)
      throws IOException, SandboxException {
    Objects.requireNonNull(sandboxer, "sandboxer");
    Path target = socket.toAbsolutePath();
    removeStaleSocket(target);
    Path dir = Files.createTempDirectory(target.getParent(), ".carapace-sock-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path bound = dir.resolve("s");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(bound));
      Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
      Files.move(bound, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(bound);
      throw e;
    } finally {
      Files.deleteIfExists(dir);
    }
    SandboxDaemon d = new SandboxDaemon(target, sandboxer, server);
    d.acceptor.start();
    return d;
  }

  private static void removeStaleSocket(Path target) throws IOException, SandboxException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
        || Files.isSymbolicLink(target)) {
      throw new SandboxException(Reason.SOCKET_IN_USE, target + " exists and is not a socket");
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
      throw new SandboxException(Reason.SOCKET_IN_USE, "a daemon already listens on " + target);
    } catch (IOException e) {
      Files.deleteIfExists(target); // nobody listens: a leftover from a daemon that died
    }
  }

  /** The socket path clients connect to. */
  public Path socket() {
    return socket;
  }

  /** Waits until {@link #close()} has finished. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      try {
        server.close();
      } catch (IOException e) {
        // closing: nothing more to do with it
      }
      join(acceptor);
      sandboxer.close();
      for (SocketChannel ch : open) {
        closeQuietly(ch);
      }
      connections.shutdown();
      try {
        connections.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        // the socket file stays; the next start replaces it as stale
      }
    } finally {
      closed.countDown();
    }
  }

  private static void join(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closing.get()) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closing.get()) {
          return;
        }
        continue;
      }
      open.add(ch);
      if (closing.get()) {
        closeQuietly(ch);
        return;
      }
      try {
        connections.execute(() -> serve(ch));
      } catch (RejectedExecutionException e) {
        try {
          Channels.newOutputStream(ch).write(wire.line(wire.error(Reason.BUSY,
              "too many connections (" + MAX_CONNECTIONS + ")")).getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // the client is gone anyway
        }
        closeQuietly(ch);
      }
    }
  }

  private void closeQuietly(SocketChannel ch) {
    open.remove(ch);
    try {
      ch.close();
    } catch (IOException e) {
      // already broken
    }
  }

  private void serve(SocketChannel ch) {
    try (ch) {
      InputStream in = Channels.newInputStream(ch);
      OutputStream out = Channels.newOutputStream(ch);
      while (!closing.get()) {
        String line;
        try {
          line = readLine(in);
        } catch (SandboxException e) {
          write(out, wire.error(e.reason(), e.getMessage()));
          return;
        }
        if (line == null) {
          return;
        }
        if (line.isBlank()) {
          continue;
        }
        SandboxRequest request;
        try {
          request = parser.parse(line);
        } catch (SandboxException e) {
          write(out, wire.error(e.reason(), e.getMessage()));
          continue;
        }
        if (request instanceof SandboxRequest.Console c) {
          streamConsole(ch, out, c.name());
          return;
        }
        JsonNode response;
        try {
          response = wire.result(handle(request));
        } catch (SandboxException e) {
          response = wire.error(e.reason(), e.getMessage());
        }
        write(out, response);
      }
    } catch (IOException e) {
      // the client went away or the daemon closed the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(ch);
    }
  }

  private JsonNode handle(SandboxRequest request) throws SandboxException {
    if (closing.get()) {
      throw new SandboxException(Reason.SHUTTING_DOWN, "the daemon is shutting down");
    }
    if (request instanceof SandboxRequest.Create c) {
      return wire.info(sandboxer.create(c));
    } else if (request instanceof SandboxRequest.Start s) {
      return wire.info(sandboxer.start(s.name()));
    } else if (request instanceof SandboxRequest.Stop s) {
      return wire.info(sandboxer.stop(s.name()));
    } else if (request instanceof SandboxRequest.Delete d) {
      sandboxer.delete(d.name());
      ObjectNode n = mapper.createObjectNode();
      n.put("name", d.name());
      n.put("deleted", true);
      return n;
    } else if (request instanceof SandboxRequest.ListVms) {
      ArrayNode vms = mapper.createArrayNode();
      sandboxer.list().forEach(i -> vms.add(wire.info(i)));
      ObjectNode n = mapper.createObjectNode();
      n.set("vms", vms);
      return n;
    } else if (request instanceof SandboxRequest.Quote q) {
      Bytes quote = sandboxer.quote(q.name(), q.reportData());
      ObjectNode n = mapper.createObjectNode();
      n.put("name", q.name());
      n.put("quote", Base64.getEncoder().encodeToString(quote.toByteArray()));
      sandboxer.list().stream().filter(i -> i.name().equals(q.name())).findFirst()
          .map(SandboxInfo::measurements)
          .ifPresent(m -> n.set("measurements", wire.measurements(m)));
      return n;
    }
    throw new IllegalStateException("unhandled request " + request.getClass().getSimpleName());
  }

  private void streamConsole(SocketChannel ch, OutputStream out, String name)
      throws IOException, InterruptedException {
    SandboxInfo info;
    try {
      info = sandboxer.info(name);
    } catch (SandboxException e) {
      write(out, wire.error(e.reason(), e.getMessage()));
      return;
    }
    ObjectNode header = mapper.createObjectNode();
    header.put("name", info.name());
    header.put("streaming", true);
    write(out, wire.result(header));
    try {
      sandboxer.followConsole(name, out, () -> clientGone(ch));
    } catch (SandboxException e) {
      // deleted between the header and the first read: the stream just ends
    }
  }

  /** Whether the peer closed its side; discards anything it sent meanwhile. */
  private boolean clientGone(SocketChannel ch) {
    if (closing.get()) {
      return true;
    }
    try {
      ByteBuffer b = ByteBuffer.allocate(512);
      int n;
      synchronized (ch.blockingLock()) {
        ch.configureBlocking(false);
        try {
          do {
            b.clear();
            n = ch.read(b);
          } while (n > 0);
        } finally {
          ch.configureBlocking(true);
        }
      }
      return n < 0;
    } catch (IOException e) {
      return true;
    }
  }

  private static void write(OutputStream out, JsonNode n, WireFormat wire) throws IOException {
    out.write(wire.line(n).getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void write(OutputStream out, JsonNode n) throws IOException {
    write(out, n, wire);
  }

  /** One line without its newline, or null at end of stream. */
  private static String readLine(InputStream in) throws IOException, SandboxException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (line.size() >= MAX_REQUEST_LINE) {
        throw new SandboxException(Reason.MALFORMED_REQUEST,
            "request line longer than " + MAX_REQUEST_LINE + " bytes");
      }
      line.write(b);
    }
  }
}
