package dev.carapace.attestation.service.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the attestation service (prefix {@code carapace.attestation}). The command line
 * {@code --port N --data DIR --dev} maps to {@code server.port}, {@link #dataDir()} and
 * {@link #dev()}.
 *
 * @param dataDir where policies, reference values, signing keys and (with {@link #dev()}) the
 *     development PKIs live
 * @param dev trust the development roots of our TDX and SNP simulators (kept in {@code
 *     DATA/dev-pki}, generated on first start) and accept the {@code sample} TEE; never in
 *     production
 * @param issuer the {@code iss} of every token
 * @param tokenLifetime {@code exp - iat} of every token
 * @param signingKey a PKCS#8 PEM P-256 key to sign with; when absent a key is generated on first
 *     start and kept in the data directory
 * @param signingCertChain PEM certificates for {@code signingKey} (leaf first), published as the
 *     JWK's {@code x5c}
 * @param signingKeyRotation age after which a generated signing key is replaced; the previous key
 *     stays in the JWKS until the tokens it signed have expired
 * @param challengeLifetime how long a nonce from {@code POST /challenge} may be used
 * @param requireChallenge when true, structured runtime data must carry a nonce issued by {@code
 *     POST /challenge} (single use); when false, such nonces are still consumed if present
 * @param maxRequestSize larger request bodies are refused with 413
 * @param referenceValueLifetime expiry given to reference values registered without one
 * @param tdx TDX collateral
 * @param snp SEV-SNP certificates
 */
@ConfigurationProperties(prefix = "carapace.attestation")
@Validated
public record AttestationServiceProperties(
    @NotNull Path dataDir,
    @DefaultValue("false") boolean dev,
    @DefaultValue("carapace-attestation-service") @NotBlank String issuer,
    @DefaultValue("PT5M") @NotNull Duration tokenLifetime,
    @Nullable Path signingKey,
    @Nullable Path signingCertChain,
    @DefaultValue("P90D") @NotNull Duration signingKeyRotation,
    @DefaultValue("PT5M") @NotNull Duration challengeLifetime,
    @DefaultValue("false") boolean requireChallenge,
    @DefaultValue("4MB") @NotNull DataSize maxRequestSize,
    @DefaultValue("P365D") @NotNull Duration referenceValueLifetime,
    @DefaultValue @Valid Tdx tdx,
    @DefaultValue @Valid Snp snp) {

  public AttestationServiceProperties {
    Objects.requireNonNull(dataDir, "dataDir");
    requirePositive(tokenLifetime, "token-lifetime");
    requirePositive(signingKeyRotation, "signing-key-rotation");
    requirePositive(challengeLifetime, "challenge-lifetime");
    requirePositive(referenceValueLifetime, "reference-value-lifetime");
    if (maxRequestSize.toBytes() <= 0) {
      throw new IllegalArgumentException("max-request-size must be positive");
    }
  }

  /**
   * Where TDX collateral comes from; nothing is fetched unless {@link #pcsUrl()} is set. Sources
   * are asked in order: {@link #collateral()}, {@link #pcsUrl()}, then (with {@code dev}) the
   * development collateral the service signs itself for simulated platforms.
   *
   * @param collateral an offline collateral directory (PCS layout) or QuoteCollateralV3 bundle
   * @param pcsUrl Intel PCS ({@code https://api.trustedservices.intel.com}) or a PCCS base URL
   * @param pccs the URL is a PCCS (root CA CRL from the PCCS, hex encoded)
   * @param collateralCacheTtl how long verified collateral is reused before it is read again
   */
  public record Tdx(
      @Nullable Path collateral,
      @Nullable URI pcsUrl,
      @DefaultValue("false") boolean pccs,
      @DefaultValue("PT5M") @NotNull Duration collateralCacheTtl) {
    public Tdx {
      requirePositive(collateralCacheTtl, "tdx.collateral-cache-ttl");
    }
  }

  /**
   * Where VCEKs come from when the evidence carries none; nothing is fetched unless {@link
   * #kdsUrl()} is set.
   *
   * @param certs an offline KDS-layout directory or an extended-report certificate table
   * @param kdsUrl AMD KDS ({@code https://kdsintf.amd.com}) or a caching proxy
   * @param devProducts products for which a development hierarchy is generated in dev mode
   */
  public record Snp(
      @Nullable Path certs,
      @Nullable URI kdsUrl,
      @DefaultValue({"Milan", "Genoa", "Turin"}) List<String> devProducts) {
    public Snp {
      devProducts = List.copyOf(devProducts);
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
