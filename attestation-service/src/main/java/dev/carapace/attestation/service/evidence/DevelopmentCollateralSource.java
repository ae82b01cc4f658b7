package dev.carapace.attestation.service.evidence;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.CollateralSource;
import dev.carapace.tdx.pcs.PckCa;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dev mode only: collateral signed by the development PKI for any FMSPC, rating the SVNs of
 * {@link SimulatedPlatform#defaults()} {@code UpToDate} (and one SVN below {@code OutOfDate}), so
 * that quotes from {@code carapace tdx simulate} or {@link TdxQuoteSimulator} with the service's
 * development PKI verify without any collateral configuration. Generated collateral is reused
 * until half its validity has passed. Thread-safe.
 */
final class DevelopmentCollateralSource implements CollateralSource {
  private record Generated(Collateral collateral, Instant renewAt) {}

  private final DevelopmentPki pki;
  private final SecureRandom random;
  private final Provider provider;
  private final Clock clock;
  private final Map<Bytes, Generated> generated = new ConcurrentHashMap<>();

  DevelopmentCollateralSource(DevelopmentPki pki, SecureRandom random, Provider provider,
      Clock clock) {
    this.pki = Objects.requireNonNull(pki, "pki");
    this.random = Objects.requireNonNull(random, "random");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Collateral collateralFor(Bytes fmspc, PckCa ca) throws CollateralException {
    Instant now = clock.instant();
    Generated g = generated.get(fmspc);
    if (g != null && now.isBefore(g.renewAt())) {
      return g.collateral();
    }
    synchronized (this) {
      g = generated.get(fmspc);
      if (g != null && now.isBefore(g.renewAt())) {
        return g.collateral();
      }
      try {
        TdxQuoteSimulator sim = new TdxQuoteSimulator(pki,
            SimulatedPlatform.defaults().withFmspc(fmspc), random, provider, clock);
        Collateral c = sim.collateral();
        Duration half = TdxQuoteSimulator.COLLATERAL_VALIDITY.dividedBy(2);
        generated.put(fmspc, new Generated(c, now.plus(half)));
        return c;
      } catch (GeneralSecurityException e) {
        throw new CollateralException(CollateralException.Reason.UNAVAILABLE,
            "development collateral cannot be signed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "DevelopmentCollateralSource[" + pki + "]";
  }
}
