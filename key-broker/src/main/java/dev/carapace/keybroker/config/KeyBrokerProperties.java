package dev.carapace.keybroker.config;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The broker's settings ({@code carapace.kbs.*}).
 *
 * @param dataDir state directory: sessions, resources, policies, master key (shared by replicas)
 * @param dev development mode: the built-in attestation service trusts the simulators' roots
 * @param sessionLifetime RCAR session lifetime, fixed at {@code /auth} (Trustee: 5 minutes)
 * @param maxRequestSize largest request body (Trustee: 2 MiB)
 * @param attestationUrl a remote attestation service (Trustee REST API); built-in when absent
 * @param attestationPolicy the appraisal policy id asked for
 * @param masterKey the resource master key file; {@code DATA/master.key} when absent
 * @param admin administration API authentication
 * @param store where sessions, resources and policies live
 */
@Validated
@ConfigurationProperties("carapace.kbs")
public record KeyBrokerProperties(
    @NotNull Path dataDir,
    @DefaultValue("false") boolean dev,
    @DefaultValue("PT5M") @NotNull Duration sessionLifetime,
    @DefaultValue("2MB") @NotNull DataSize maxRequestSize,
    @Nullable URI attestationUrl,
    @DefaultValue("default") @NotNull String attestationPolicy,
    @Nullable Path masterKey,
    @DefaultValue @NotNull Admin admin,
    @DefaultValue @NotNull Store store) {

  /**
   * @param jdbcUrl a PostgreSQL database shared by replicas ({@code
   *     jdbc:postgresql://host/db}); the state directory when absent
   * @param user database user
   * @param passwordFile a file holding the database password (never the password itself in
   *     the configuration)
   */
  public record Store(@Nullable String jdbcUrl, @Nullable String user,
      @Nullable Path passwordFile) {}

  /**
   * @param publicKeys PEM public keys (EC P-256 or Ed25519) that sign admin tokens; none = the
   *     administration API is disabled
   * @param roles the {@code role} claim values allowed
   * @param issuer required {@code iss}, if set
   * @param audience required {@code aud} member, if set
   */
  public record Admin(
      @DefaultValue({}) List<Path> publicKeys,
      @DefaultValue("admin") List<String> roles,
      @Nullable String issuer,
      @Nullable String audience) {}
}
