package dev.carapace.snp.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.verify.ReportVerificationException;
import dev.carapace.snp.verify.ReportVerifier;
import dev.carapace.snp.verify.TrustedRoots;
import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Shared setup: a fixed clock, a real (self-seeded) DRBG, BouncyCastle as a local provider, and
 * one RSA-2048 development hierarchy per product (4096-bit generation is tested once, separately).
 */
final class Fixture {
  static final Provider BC = new BouncyCastleProvider();
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final int TEST_RSA_BITS = 2048;
  private static final Map<Product, SnpDevelopmentPki> PKIS = new EnumMap<>(Product.class);

  private Fixture() {}

  static SecureRandom random() {
    try {
      return SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(256,
          DrbgParameters.Capability.NONE,
          "carapace-snp-simulate-test".getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh RSA-2048 hierarchy with ASVK, valid 2026-03-01T11:00Z plus 25 years. */
  static SnpDevelopmentPki newPki(Product product) throws GeneralSecurityException {
    Instant notBefore = NOW.minus(SnpDevelopmentPki.BACKDATE);
    return SnpDevelopmentPki.generate(product, TEST_RSA_BITS, true, notBefore,
        notBefore.atOffset(ZoneOffset.UTC).plusYears(25).toInstant(), random(), BC);
  }

  /** The shared hierarchy of {@code product}. */
  static synchronized SnpDevelopmentPki pki(Product product) throws GeneralSecurityException {
    SnpDevelopmentPki pki = PKIS.get(product);
    if (pki == null) {
      pki = newPki(product);
      PKIS.put(product, pki);
    }
    return pki;
  }

  static SnpReportSimulator simulator(Product product) throws GeneralSecurityException {
    return SnpReportSimulator.withRandomChip(pki(product), random(), BC, CLOCK);
  }

  static ReportVerifier developmentVerifier(SnpDevelopmentPki pki) {
    return new ReportVerifier(pki.trustedRoots(), CLOCK, BC);
  }

  static ReportVerifier verifierAt(TrustedRoots roots, Instant at) {
    return new ReportVerifier(roots, Clock.fixed(at, ZoneOffset.UTC), BC);
  }

  static Bytes filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return Bytes.copyOf(b);
  }

  static void assertReason(ThrowingCall call, ReportVerificationException.Reason reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ReportVerificationException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }
}
