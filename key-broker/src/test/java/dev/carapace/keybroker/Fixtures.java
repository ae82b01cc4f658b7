package dev.carapace.keybroker;

import dev.carapace.attestation.service.evidence.DevelopmentPkis;
import dev.carapace.keybroker.admin.AdminTokens;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.simulate.SnpDevelopmentPki;
import dev.carapace.snp.simulate.SnpReportSimulator;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Development PKIs, simulators, admin keys and data directories for the broker's tests. */
final class Fixtures {
  static final Provider BC = new BouncyCastleProvider();
  static final SecureRandom RANDOM = new SecureRandom();
  static final DevelopmentPki TDX_PKI;
  static final SnpDevelopmentPki SNP_PKI;
  static final KeyPair ADMIN;

  static {
    try {
      TDX_PKI = DevelopmentPki.generate(RANDOM, BC, Clock.systemUTC());
      Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
      SNP_PKI = SnpDevelopmentPki.generate(Product.GENOA, SnpDevelopmentPki.MIN_RSA_KEY_BITS,
          true, from, from.plus(3650, ChronoUnit.DAYS), RANDOM, BC);
      ADMIN = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Fixtures() {}

  /** A broker data directory holding the development PKIs and the admin public key. */
  static Path dataDirectory() {
    try {
      Path dir = Files.createTempDirectory("kbs-test");
      Path as = dir.resolve("attestation");
      TDX_PKI.writeTo(DevelopmentPkis.tdxDirectory(as));
      SNP_PKI.writeTo(DevelopmentPkis.snpDirectory(as, Product.GENOA));
      Files.writeString(adminKeyFile(dir), "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
              ADMIN.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path adminKeyFile(Path dataDir) {
    return dataDir.resolve("admin.pub");
  }

  static TdxQuoteSimulator tdxSimulator() throws Exception {
    return new TdxQuoteSimulator(TDX_PKI, SimulatedPlatform.defaults(), RANDOM, BC,
        Clock.systemUTC());
  }

  static SnpReportSimulator snpSimulator() throws Exception {
    return SnpReportSimulator.withRandomChip(SNP_PKI, RANDOM, BC, Clock.systemUTC());
  }

  /** An EdDSA admin JWT as Trustee's docker-compose set-up makes them. */
  static String adminToken(KeyPair key, String role, long expiresInSeconds) throws Exception {
    return AdminTokens.ed25519(key.getPrivate(), "admin", role, Instant.now(),
        Duration.ofSeconds(expiresInSeconds));
  }

  static String adminToken() throws Exception {
    return adminToken(ADMIN, "admin", 600);
  }
}
