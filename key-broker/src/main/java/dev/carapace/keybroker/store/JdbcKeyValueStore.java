package dev.carapace.keybroker.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link KeyValueStore} in PostgreSQL (one table, {@code carapace_kbs_state}), for replicas on
 * different machines. Every write is one auto-committed statement: durable writes commit with
 * the server's {@code synchronous_commit} (on by default, so they are on disk when {@code put}
 * returns); volatile ones (sessions) set it off for their transaction. {@code putIfAbsent} is
 * {@code INSERT ... ON CONFLICT DO NOTHING}, so replicas agree. Thread-safe (connection pool).
 */
public final class JdbcKeyValueStore implements KeyValueStore, AutoCloseable {
  private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final String TABLE = "carapace_kbs_state";
  private final HikariDataSource pool;

  public JdbcKeyValueStore(String jdbcUrl, @Nullable String user, @Nullable String password)
      throws IOException {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(jdbcUrl);
    if (user != null) {
      c.setUsername(user);
    }
    if (password != null) {
      c.setPassword(password);
    }
    c.setMaximumPoolSize(16);
    c.setPoolName("kbs-state");
    try {
      pool = new HikariDataSource(c);
    } catch (RuntimeException e) {
      throw new IOException("cannot connect to the state database: " + e.getMessage(), e);
    }
    try (Connection con = pool.getConnection(); Statement st = con.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (namespace text NOT NULL,"
          + " key text NOT NULL, value bytea NOT NULL, PRIMARY KEY (namespace, key))");
    } catch (SQLException e) {
      pool.close();
      throw new IOException("cannot create the state table: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) throws IOException {
    check(namespace);
    try (Connection con = pool.getConnection(); PreparedStatement ps = con.prepareStatement(
        "SELECT value FROM " + TABLE + " WHERE namespace = ? AND key = ?")) {
      ps.setString(1, namespace);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }

  @Override
  public void put(String namespace, String key, byte[] value, Durability durability)
      throws IOException {
    write(namespace, key, value, durability, "INSERT INTO " + TABLE + " (namespace, key, value)"
        + " VALUES (?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value");
  }

  @Override
  public boolean putIfAbsent(String namespace, String key, byte[] value, Durability durability)
      throws IOException {
    return write(namespace, key, value, durability, "INSERT INTO " + TABLE
        + " (namespace, key, value) VALUES (?, ?, ?) ON CONFLICT (namespace, key) DO NOTHING") == 1;
  }

  @Override
  public boolean delete(String namespace, String key) throws IOException {
    check(namespace);
    try (Connection con = pool.getConnection(); PreparedStatement ps = con.prepareStatement(
        "DELETE FROM " + TABLE + " WHERE namespace = ? AND key = ?")) {
      ps.setString(1, namespace);
      ps.setString(2, key);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  @Override
  public List<String> keys(String namespace) throws IOException {
    check(namespace);
    try (Connection con = pool.getConnection(); PreparedStatement ps = con.prepareStatement(
        "SELECT key FROM " + TABLE + " WHERE namespace = ?")) {
      ps.setString(1, namespace);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  private int write(String namespace, String key, byte[] value, Durability durability,
      String sql) throws IOException {
    check(namespace);
    try (Connection con = pool.getConnection()) {
      if (durability == Durability.VOLATILE) {
        con.setAutoCommit(false);
        try (Statement st = con.createStatement()) {
          st.execute("SET LOCAL synchronous_commit = off");
        }
      }
      int n;
      try (PreparedStatement ps = con.prepareStatement(sql)) {
        ps.setString(1, namespace);
        ps.setString(2, key);
        ps.setBytes(3, value);
        n = ps.executeUpdate();
      }
      if (durability == Durability.VOLATILE) {
        con.commit();
        con.setAutoCommit(true);
      }
      return n;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  private static void check(String namespace) {
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("bad namespace " + namespace);
    }
  }

  private static IOException io(SQLException e) {
    return new IOException("state database: " + e.getMessage(), e);
  }
}
