package dev.carapace.tdx.simulate;

import dev.carapace.tdx.verify.QuoteVerificationException;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.TrustAnchors;
import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Shared setup: a fixed clock, a real (self-seeded) DRBG, BouncyCastle as a local provider. */
final class Fixture {
  static final Provider BC = new BouncyCastleProvider();
  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private Fixture() {}

  static SecureRandom random() {
    try {
      return SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(256,
          DrbgParameters.Capability.NONE,
          "carapace-simulate-test".getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static DevelopmentPki pki() throws GeneralSecurityException {
    return DevelopmentPki.generate(random(), BC, CLOCK);
  }

  static TdxQuoteSimulator simulator(DevelopmentPki pki, SimulatedPlatform platform)
      throws GeneralSecurityException {
    return new TdxQuoteSimulator(pki, platform, random(), BC, CLOCK);
  }

  static QuoteVerifier developmentVerifier(DevelopmentPki pki, Instant at) {
    return new QuoteVerifier(TrustAnchors.of(pki.trustAnchors()),
        Clock.fixed(at, ZoneOffset.UTC), BC);
  }

  static QuoteVerificationException.Reason reasonOf(ThrowingRunnable r) {
    try {
      r.run();
    } catch (QuoteVerificationException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError("unexpected " + e, e);
    }
    throw new AssertionError("verification succeeded");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
