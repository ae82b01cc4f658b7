package dev.carapace.guest;

import dev.carapace.snp.report.Product;
import dev.carapace.snp.simulate.SnpDevelopmentPki;
import dev.carapace.snp.simulate.SnpReportSimulator;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Development TDX and SNP simulators shared by the tests (built once; RSA-2048 AMD keys). */
public final class Simulators {
  public static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static TdxQuoteSimulator tdx;
  private static SnpReportSimulator snp;

  private Simulators() {}

  public static synchronized TdxQuoteSimulator tdx() throws GeneralSecurityException {
    if (tdx == null) {
      SecureRandom r = new SecureRandom();
      tdx = new TdxQuoteSimulator(DevelopmentPki.generate(r, Vectors.BC, CLOCK),
          SimulatedPlatform.defaults(), r, Vectors.BC, CLOCK);
    }
    return tdx;
  }

  public static synchronized SnpReportSimulator snp() throws GeneralSecurityException {
    if (snp == null) {
      SecureRandom r = new SecureRandom();
      Instant from = NOW.minusSeconds(3600);
      SnpDevelopmentPki pki = SnpDevelopmentPki.generate(Product.GENOA, 2048, false, from,
          from.atOffset(ZoneOffset.UTC).plusYears(25).toInstant(), r, Vectors.BC);
      snp = SnpReportSimulator.withRandomChip(pki, r, Vectors.BC, CLOCK);
    }
    return snp;
  }
}
