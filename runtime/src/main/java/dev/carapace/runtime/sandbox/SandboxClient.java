package dev.carapace.runtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.runtime.sandbox.SandboxException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A connection to a {@link SandboxDaemon}: sends request objects and reads the answers
 * ({@link #call}), or follows a VM's console ({@link #console}). Not thread-safe: one request at a
 * time per client.
 */
public final class SandboxClient implements AutoCloseable {
  private final ObjectMapper mapper;
  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;

  private SandboxClient(ObjectMapper mapper, SocketChannel channel) {
    this.mapper = mapper;
    this.channel = channel;
    this.in = Channels.newInputStream(channel);
    this.out = Channels.newOutputStream(channel);
  }

  /** Connects to the daemon listening on {@code socket}. */
  public static SandboxClient connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return new SandboxClient(new ObjectMapper(), ch);
  }

  /** A request object with {@code op} set, for the caller to fill. */
  public ObjectNode request(String op) {
    return mapper.createObjectNode().put("op", Objects.requireNonNull(op, "op"));
  }

  /** Sends one raw line (a newline is appended) and returns the response line, parsed. */
  public JsonNode callRaw(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    String response = readLine();
    if (response == null) {
      throw new IOException("the daemon closed the connection without answering");
    }
    return mapper.readTree(response);
  }

  /**
   * Sends {@code request} and returns its {@code result}.
   *
   * @throws SandboxException the daemon's typed error
   */
  public JsonNode call(ObjectNode request) throws IOException, SandboxException {
    JsonNode response = callRaw(mapper.writeValueAsString(request));
    JsonNode error = response.get("error");
    if (error != null) {
      throw toException(error);
    }
    JsonNode result = response.get("result");
    if (result == null) {
      throw new IOException("the daemon's answer has neither result nor error");
    }
    return result;
  }

  /**
   * Copies the console of VM {@code name} (captured so far, then live) to {@code sink} until the
   * VM ends or the daemon closes the stream. Close the client from another thread to stop early.
   */
  public void console(String name, OutputStream sink) throws IOException, SandboxException {
    call(request("console").put("name", name));
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      sink.write(buf, 0, n);
      sink.flush();
    }
  }

  private static SandboxException toException(JsonNode error) {
    String reason = error.path("reason").asText("");
    String message = error.path("message").asText("");
    for (Reason r : Reason.values()) {
      if (r.name().equals(reason)) {
        return new SandboxException(r, message);
      }
    }
    return new SandboxException(Reason.MALFORMED_REQUEST,
        "unknown error reason " + RequestParser.abbreviate(reason) + ": " + message);
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
