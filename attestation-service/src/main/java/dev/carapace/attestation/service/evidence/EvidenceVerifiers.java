package dev.carapace.attestation.service.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.snp.kds.KdsCertificateSource;
import dev.carapace.snp.verify.ReportVerifier;
import dev.carapace.snp.verify.TrustedRoots;
import dev.carapace.tdx.pcs.CollateralSource;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.TrustAnchors;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The configured verifiers by {@code tee} string, and factories for them. Immutable. */
public final class EvidenceVerifiers {
  private final Map<String, EvidenceVerifier> byTee;

  public EvidenceVerifiers(Collection<EvidenceVerifier> verifiers) {
    Map<String, EvidenceVerifier> m = new LinkedHashMap<>();
    for (EvidenceVerifier v : verifiers) {
      if (m.put(v.tee(), v) != null) {
        throw new IllegalArgumentException("two verifiers for tee " + v.tee());
      }
    }
    this.byTee = Map.copyOf(m);
  }

  public Optional<EvidenceVerifier> forTee(String tee) {
    return Optional.ofNullable(byTee.get(tee));
  }

  public Set<String> tees() {
    return byTee.keySet();
  }

  /**
   * The {@code tdx} verifier: DCAP verification against {@code anchors}, collateral from {@code
   * source} verified once and reused for {@code collateralTtl}.
   */
  public static EvidenceVerifier tdx(TrustAnchors anchors, CollateralSource source,
      Duration collateralTtl, Clock clock, Provider provider, ObjectMapper mapper) {
    QuoteVerifier verifier = new QuoteVerifier(anchors, clock, provider);
    return new TdxEvidenceVerifier(verifier,
        new CollateralCache(source, verifier, clock, collateralTtl), mapper);
  }

  /**
   * The {@code snp} verifier: AMD's roots, plus {@code developmentRoots} when given (dev mode),
   * VCEKs from the evidence or {@code kds}.
   */
  public static EvidenceVerifier snp(@Nullable TrustedRoots developmentRoots,
      @Nullable KdsCertificateSource kds, Clock clock, Provider provider, ObjectMapper mapper) {
    ReportVerifier production = new ReportVerifier(TrustedRoots.amd(), clock, provider);
    ReportVerifier development = developmentRoots == null
        ? null : new ReportVerifier(developmentRoots, clock, provider);
    return new SnpEvidenceVerifier(production, development, kds, mapper);
  }

  /** Trustee's {@code sample} TEE (dev mode only). */
  public static EvidenceVerifier sample(ObjectMapper mapper) {
    return new SampleEvidenceVerifier(mapper);
  }

  /** Dev mode: collateral for simulated platforms, signed by the development PKI. */
  public static CollateralSource developmentCollateral(DevelopmentPki pki, SecureRandom random,
      Provider provider, Clock clock) {
    return new DevelopmentCollateralSource(pki, random, provider, clock);
  }

  /** The first source that has collateral for a platform (NOT_FOUND moves on). */
  public static CollateralSource firstAvailable(List<CollateralSource> sources) {
    return new FirstAvailableCollateralSource(sources);
  }
}
