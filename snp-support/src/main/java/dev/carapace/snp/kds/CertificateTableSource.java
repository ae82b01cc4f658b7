package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Serves the certificates that came with an extended report, from its {@link CertificateTable}:
 * the VCEK or VLEK, the ASK (or ASVK) and the ARK. This is the only source of VLEKs.
 *
 * <p>The table is host-supplied and untrusted; entries are parsed, not verified. {@link
 * #certChain} returns the table's ASK and ARK entries only if their subject names fit the asked
 * product and signer kind ({@code SEV-<P>} or {@code SEV-VLEK-<P>}, and {@code ARK-<P>}), else
 * {@code NOT_FOUND}, so that {@link KdsSources#firstAvailable} moves on to another source. The
 * table has no CRLs ({@code NOT_FOUND}). A missing entry is {@code NOT_FOUND}, an unparsable one
 * {@code MALFORMED}. Thread-safe (immutable).
 */
public final class CertificateTableSource implements KdsCertificateSource {
  private final CertificateTable table;

  public CertificateTableSource(CertificateTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /** Parses a raw table (e.g. configfs-tsm {@code auxblob}); see {@link CertificateTable#parse}. */
  public static CertificateTableSource parse(byte[] table) throws KdsException {
    return new CertificateTableSource(CertificateTable.parse(table));
  }

  public CertificateTable table() {
    return table;
  }

  /** True when the table has an entry for the {@code kind} endorsement key. */
  public boolean hasEndorsementKey(SignerKind kind) {
    return table.find(guid(kind)).isPresent();
  }

  /** The VCEK or VLEK entry. */
  public X509Certificate endorsementKey(SignerKind kind) throws KdsException {
    return certificate(guid(kind), kind.name());
  }

  /** The VLEK that came with the report (KDS does not hand VLEKs out). */
  public X509Certificate vlek() throws KdsException {
    return endorsementKey(SignerKind.VLEK);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The table's VCEK entry, whatever the arguments (which are checked for consistency only):
   * the host supplied it for this report; the verifier matches its hwID and TCB.
   */
  @Override
  public X509Certificate vcek(Product product, Bytes chipId, TcbVersion reportedTcb)
      throws KdsException {
    VcekId.of(product, chipId, reportedTcb);
    return endorsementKey(SignerKind.VCEK);
  }

  @Override
  public List<X509Certificate> certChain(Product product, SignerKind kind) throws KdsException {
    X509Certificate ask = certificate(CertificateTable.ASK_GUID, "ASK");
    X509Certificate ark = certificate(CertificateTable.ARK_GUID, "ARK");
    String askName = AmdNames.intermediateName(product, kind);
    if (!AmdNames.hasName(ask, askName)) {
      throw new KdsException(Reason.NOT_FOUND, "certificate table's ASK entry is "
          + AmdNames.describe(ask) + ", not CN=" + askName);
    }
    String arkName = AmdNames.arkName(product);
    if (!AmdNames.hasName(ark, arkName)) {
      throw new KdsException(Reason.NOT_FOUND, "certificate table's ARK entry is "
          + AmdNames.describe(ark) + ", not CN=" + arkName);
    }
    return List.of(ask, ark);
  }

  /** Always {@code NOT_FOUND}: certificate tables carry no CRLs. */
  @Override
  public X509CRL crl(Product product, SignerKind kind) throws KdsException {
    throw new KdsException(Reason.NOT_FOUND, "certificate tables carry no CRL ("
        + product.kdsName() + " " + kind + ")");
  }

  private X509Certificate certificate(UUID guid, String what) throws KdsException {
    Bytes der = table.find(guid).orElseThrow(() -> new KdsException(Reason.NOT_FOUND,
        "certificate table has no " + what + " entry (" + guid + ")"));
    try {
      return KdsDocuments.parseCertificate(der.toByteArray());
    } catch (KdsException e) {
      throw new KdsException(e.reason(), "certificate table " + what + " entry: " + e.detail(),
          e);
    }
  }

  private static UUID guid(SignerKind kind) {
    return kind == SignerKind.VLEK ? CertificateTable.VLEK_GUID : CertificateTable.VCEK_GUID;
  }

  @Override
  public String toString() {
    return "CertificateTableSource[" + table + "]";
  }
}
