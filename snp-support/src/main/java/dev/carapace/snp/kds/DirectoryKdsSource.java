package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Serves AMD certificates from a directory, for verifiers without access to AMD KDS. Layout, one
 * sub-directory per product named as in KDS URLs:
 *
 * <pre>
 * &lt;dir&gt;/Milan/                        also Genoa/, Turin/
 *   cert_chain.pem                      body of /vcek/v1/Milan/cert_chain: ASK then ARK (PEM)
 *   vlek_cert_chain.pem                 body of /vlek/v1/Milan/cert_chain: ASVK then ARK (PEM)
 *   crl.der                             body of /vcek/v1/Milan/crl (ASK CRL)
 *   vlek_crl.der                        body of /vlek/v1/Milan/crl (ASVK CRL)
 *   vcek_&lt;hwid&gt;_&lt;tcb&gt;.der            the VCEK of one chip at one TCB: hwid = lower-case hex of
 *                                       the 64-byte CHIP_ID (Turin: of its first 8 bytes), tcb =
 *                                       16 hex digits of the canonical TCB_VERSION u64, e.g.
 *                                       vcek_3ac3…6b5d_4405000000000002.der ({@link #vcekFileName})
 *   vcek_&lt;hwid&gt;_&lt;tcb&gt;.pem            the same, PEM
 *   vcek.der or vcek.pem                a single VCEK served for every chip id and TCB (one-host
 *                                       setups, and reports with a masked CHIP_ID)
 * </pre>
 *
 * <p>Every file may hold DER or PEM whatever its extension; a chain file may list the ARK first.
 * Files are read on every call, so the directory can be refreshed in place (replace files by
 * rename; {@link #storeVcek} and friends do). Each file is capped at {@link
 * KdsDocuments#MAX_DOCUMENT_SIZE}. A missing file is {@link Reason#NOT_FOUND}, an unparsable or
 * oversized one {@link Reason#MALFORMED}, a read error {@link Reason#UNAVAILABLE}; messages name
 * the file. Certificates are parsed, not verified: a generic {@code vcek.der} for another chip or
 * TCB is caught by the verifier's hwID/TCB check. VLEKs are not looked up here (they come with
 * the evidence). Wrap in a {@link CachingKdsSource} to avoid re-reading. Thread-safe (immutable).
 */
public final class DirectoryKdsSource implements KdsCertificateSource {
  public static final String CERT_CHAIN = "cert_chain.pem";
  public static final String VLEK_CERT_CHAIN = "vlek_cert_chain.pem";
  public static final String CRL = "crl.der";
  public static final String VLEK_CRL = "vlek_crl.der";
  public static final String VCEK_DER = "vcek.der";
  public static final String VCEK_PEM = "vcek.pem";

  private final Path directory;

  public DirectoryKdsSource(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  public Path directory() {
    return directory;
  }

  /** {@code vcek_<hwid hex>_<tcb hex>.der} for {@code id}. */
  public static String vcekFileName(VcekId id) {
    return "vcek_" + id.hwidHex() + "_" + id.tcbHex() + ".der";
  }

  /** {@code cert_chain.pem} or {@code vlek_cert_chain.pem}. */
  public static String certChainFileName(SignerKind kind) {
    return kind == SignerKind.VLEK ? VLEK_CERT_CHAIN : CERT_CHAIN;
  }

  /** {@code crl.der} or {@code vlek_crl.der}. */
  public static String crlFileName(SignerKind kind) {
    return kind == SignerKind.VLEK ? VLEK_CRL : CRL;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Looks for {@code vcek_<hwid>_<tcb>.der}, then {@code .pem}, then the generic {@code
   * vcek.der}, {@code vcek.pem}; for an all-zero CHIP_ID only the generic files.
   */
  @Override
  public X509Certificate vcek(Product product, Bytes chipId, TcbVersion reportedTcb)
      throws KdsException {
    VcekId id = VcekId.of(product, chipId, reportedTcb);
    Path dir = productDirectory(product);
    String specific = vcekFileName(id);
    String specificPem = specific.substring(0, specific.length() - 4) + ".pem";
    List<String> candidates = id.hwid().isAllZero()
        ? List.of(VCEK_DER, VCEK_PEM)
        : List.of(specific, specificPem, VCEK_DER, VCEK_PEM);
    for (String name : candidates) {
      Path file = dir.resolve(name);
      if (Files.exists(file)) {
        return parse(file, KdsDocuments::parseCertificate);
      }
    }
    throw new KdsException(Reason.NOT_FOUND, "no VCEK for " + id + " in " + dir + " (looked for "
        + String.join(", ", candidates) + ")");
  }

  @Override
  public List<X509Certificate> certChain(Product product, SignerKind kind) throws KdsException {
    return parse(productDirectory(product).resolve(certChainFileName(kind)),
        KdsDocuments::parseCertChain);
  }

  @Override
  public X509CRL crl(Product product, SignerKind kind) throws KdsException {
    return parse(productDirectory(product).resolve(crlFileName(kind)), KdsDocuments::parseCrl);
  }

  /** {@code <dir>/<Product>}, e.g. {@code <dir>/Milan}. */
  public Path productDirectory(Product product) {
    return directory.resolve(product.kdsName());
  }

  /** Writes {@code vcek} as {@code <dir>/<Product>/vcek_<hwid>_<tcb>.der} (atomically). */
  public static Path storeVcek(Path directory, VcekId id, X509Certificate vcek)
      throws IOException {
    try {
      return store(directory, id.product(), vcekFileName(id), vcek.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IOException("VCEK cannot be encoded", e);
    }
  }

  /** Writes a chain (intermediate, ARK) as PEM {@code cert_chain.pem}/{@code vlek_cert_chain.pem}. */
  public static Path storeCertChain(Path directory, Product product, SignerKind kind,
      List<X509Certificate> chain) throws IOException {
    StringBuilder pem = new StringBuilder();
    Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (X509Certificate c : chain) {
      try {
        pem.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (CertificateEncodingException e) {
        throw new IOException("certificate cannot be encoded", e);
      }
    }
    return store(directory, product, certChainFileName(kind),
        pem.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes a CRL as DER {@code crl.der}/{@code vlek_crl.der}. */
  public static Path storeCrl(Path directory, Product product, SignerKind kind, X509CRL crl)
      throws IOException {
    try {
      return store(directory, product, crlFileName(kind), crl.getEncoded());
    } catch (CRLException e) {
      throw new IOException("CRL cannot be encoded", e);
    }
  }

  private static Path store(Path directory, Product product, String name, byte[] data)
      throws IOException {
    Path dir = directory.resolve(product.kdsName());
    Files.createDirectories(dir);
    Path target = dir.resolve(name);
    Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
    try {
      Files.write(tmp, data);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private interface Parser<T> {
    T parse(byte[] data) throws KdsException;
  }

  private static <T> T parse(Path file, Parser<T> parser) throws KdsException {
    byte[] data = read(file);
    try {
      return parser.parse(data);
    } catch (KdsException e) {
      throw new KdsException(e.reason(), file + ": " + e.detail(), e);
    }
  }

  /** Reads at most {@link KdsDocuments#MAX_DOCUMENT_SIZE} bytes of {@code file}. */
  static byte[] read(Path file) throws KdsException {
    return read(file, KdsDocuments.MAX_DOCUMENT_SIZE);
  }

  static byte[] read(Path file, int limit) throws KdsException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] data = in.readNBytes(limit + 1);
      if (data.length > limit) {
        throw new KdsException(Reason.MALFORMED, file + " exceeds " + limit + " bytes");
      }
      return data;
    } catch (NoSuchFileException e) {
      throw new KdsException(Reason.NOT_FOUND, "missing file " + file, e);
    } catch (IOException e) {
      throw new KdsException(Reason.UNAVAILABLE, "cannot read " + file + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "DirectoryKdsSource[" + directory + "]";
  }
}
