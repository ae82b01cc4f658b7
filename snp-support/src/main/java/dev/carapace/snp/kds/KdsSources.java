package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Offline sources from the file system, and combining sources. Thread-safe (stateless). */
public final class KdsSources {
  private KdsSources() {}

  /**
   * A source for {@code path} (what a CLI's {@code --kds-certs PATH} would accept): a directory
   * is a {@link DirectoryKdsSource} (read lazily, on each call); a regular file is read now as a
   * binary extended-report certificate table (configfs-tsm {@code auxblob}, the {@code
   * SNP_GET_EXT_REPORT} certificate buffer) and served by a {@link CertificateTableSource}.
   *
   * @throws KdsException {@code NOT_FOUND} if nothing exists at {@code path}, {@code MALFORMED}
   *     if the file is not a certificate table, {@code UNAVAILABLE} if unreadable
   */
  public static KdsCertificateSource load(Path path) throws KdsException {
    Objects.requireNonNull(path, "path");
    if (Files.isDirectory(path)) {
      return new DirectoryKdsSource(path);
    }
    byte[] data = DirectoryKdsSource.read(path, CertificateTable.MAX_SIZE);
    try {
      return CertificateTableSource.parse(data);
    } catch (KdsException e) {
      throw new KdsException(e.reason(), path + ": " + e.detail(), e);
    }
  }

  /**
   * Asks {@code sources} in order and returns the first answer; a source that answers {@code
   * NOT_FOUND} is skipped, any other failure is thrown at once (so a malformed or unreachable
   * source is not silently papered over). Typical order: the report's certificate table, an
   * offline directory, then {@link KdsClient}. If every source answers {@code NOT_FOUND}, that is
   * thrown, with the others suppressed.
   */
  public static KdsCertificateSource firstAvailable(List<? extends KdsCertificateSource> sources) {
    List<KdsCertificateSource> copy = List.copyOf(sources);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("no sources");
    }
    return new FirstAvailable(copy);
  }

  /** {@link #firstAvailable(List)} of {@code sources}. */
  public static KdsCertificateSource firstAvailable(KdsCertificateSource... sources) {
    return firstAvailable(List.of(sources));
  }

  private interface Lookup<T> {
    T from(KdsCertificateSource source) throws KdsException;
  }

  private record FirstAvailable(List<KdsCertificateSource> sources)
      implements KdsCertificateSource {
    @Override
    public X509Certificate vcek(Product product, Bytes chipId, TcbVersion reportedTcb)
        throws KdsException {
      return first(s -> s.vcek(product, chipId, reportedTcb));
    }

    @Override
    public List<X509Certificate> certChain(Product product, SignerKind kind)
        throws KdsException {
      return first(s -> s.certChain(product, kind));
    }

    @Override
    public X509CRL crl(Product product, SignerKind kind) throws KdsException {
      return first(s -> s.crl(product, kind));
    }

    private <T> T first(Lookup<T> lookup) throws KdsException {
      List<KdsException> misses = new ArrayList<>();
      for (KdsCertificateSource s : sources) {
        try {
          return lookup.from(s);
        } catch (KdsException e) {
          if (e.reason() != Reason.NOT_FOUND) {
            throw e;
          }
          misses.add(e);
        }
      }
      KdsException last = misses.get(misses.size() - 1);
      KdsException out = new KdsException(Reason.NOT_FOUND,
          "not found in any of " + sources.size() + " sources; last: " + last.detail(), last);
      for (int i = 0; i < misses.size() - 1; i++) {
        out.addSuppressed(misses.get(i));
      }
      throw out;
    }

    @Override
    public String toString() {
      return "FirstAvailable" + sources;
    }
  }
}
