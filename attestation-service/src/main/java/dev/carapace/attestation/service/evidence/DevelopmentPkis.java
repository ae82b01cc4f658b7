package dev.carapace.attestation.service.evidence;

import dev.carapace.snp.report.Product;
import dev.carapace.snp.simulate.SnpDevelopmentPki;
import dev.carapace.tdx.simulate.DevelopmentPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The development PKIs of dev mode, kept under {@code DATA/dev-pki}: {@code tdx/} in the layout
 * of {@link DevelopmentPki#writeTo} (what {@code carapace tdx simulate --pki} uses) and {@code
 * snp/<product>/} in that of {@link SnpDevelopmentPki#writeTo} ({@code carapace snp simulate
 * --pki}). Missing hierarchies are generated (SNP with {@value SnpDevelopmentPki#MIN_RSA_KEY_BITS}
 * -bit RSA, which is enough for development and fast to generate). Stateless.
 */
public final class DevelopmentPkis {
  public static final String DIRECTORY = "dev-pki";

  private DevelopmentPkis() {}

  public static Path tdxDirectory(Path dataDir) {
    return dataDir.resolve(DIRECTORY).resolve("tdx");
  }

  public static Path snpDirectory(Path dataDir, Product product) {
    return dataDir.resolve(DIRECTORY).resolve("snp")
        .resolve(product.kdsName().toLowerCase(Locale.ROOT));
  }

  /** Reads the TDX development PKI, generating and writing it first if there is none. */
  public static DevelopmentPki tdx(Path dataDir, SecureRandom random, Provider provider,
      Clock clock) throws IOException, GeneralSecurityException {
    Path dir = tdxDirectory(dataDir);
    if (Files.exists(dir.resolve("root-ca.pem"))) {
      return DevelopmentPki.readFrom(dir, provider);
    }
    DevelopmentPki pki = DevelopmentPki.generate(random, provider, clock);
    pki.writeTo(dir);
    return pki;
  }

  /**
   * Reads each product's SNP development hierarchy, generating missing ones (in parallel: RSA key
   * generation dominates a first start).
   */
  public static List<SnpDevelopmentPki> snp(Path dataDir, List<Product> products,
      SecureRandom random, Provider provider, Clock clock)
      throws IOException, GeneralSecurityException {
    List<Callable<SnpDevelopmentPki>> tasks = new ArrayList<>();
    for (Product p : products) {
      tasks.add(() -> snp(dataDir, p, random, provider, clock));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, tasks.size()));
    try {
      List<SnpDevelopmentPki> out = new ArrayList<>();
      for (Future<SnpDevelopmentPki> f : pool.invokeAll(tasks)) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating development PKIs", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof GeneralSecurityException gse) {
        throw gse;
      }
      throw new IllegalStateException("development PKI generation failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static SnpDevelopmentPki snp(Path dataDir, Product p, SecureRandom random,
      Provider provider, Clock clock) throws IOException, GeneralSecurityException {
    Path dir = snpDirectory(dataDir, p);
    if (Files.exists(dir.resolve("ark.pem"))) {
      return SnpDevelopmentPki.readFrom(dir, provider);
    }
    Instant from = clock.instant().truncatedTo(ChronoUnit.SECONDS)
        .minus(SnpDevelopmentPki.BACKDATE);
    Instant to = from.atOffset(ZoneOffset.UTC)
        .plusYears(SnpDevelopmentPki.DEFAULT_VALIDITY_YEARS).toInstant();
    SnpDevelopmentPki pki = SnpDevelopmentPki.generate(p, SnpDevelopmentPki.MIN_RSA_KEY_BITS,
        true, from, to, random, provider);
    pki.writeTo(dir);
    return pki;
  }
}
