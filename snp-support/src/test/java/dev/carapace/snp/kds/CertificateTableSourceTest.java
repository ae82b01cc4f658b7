package dev.carapace.snp.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.CertificateTable.Entry;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class CertificateTableSourceTest {
  private static final Bytes GSG_CHIP = KdsVectors.chipId(KdsVectors.GSG_MILAN);
  private static final TcbVersion GSG_TCB =
      KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN);

  private static void assertReason(ThrowingCallable call, Reason reason, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KdsException.class,
        e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(messagePart);
  }

  /** The trustee VLEK report's certificates: VLEK, Milan ASVK, ARK. */
  private static CertificateTable vlekTable() throws Exception {
    List<X509Certificate> chain = KdsVectors.chain(Product.MILAN, SignerKind.VLEK);
    return CertificateTable.of(List.of(
        new Entry(CertificateTable.VLEK_GUID,
            Bytes.copyOf(KdsVectors.vcekDer(KdsVectors.VLEK_MILAN))),
        new Entry(CertificateTable.ASK_GUID, Bytes.copyOf(chain.get(0).getEncoded())),
        new Entry(CertificateTable.ARK_GUID, Bytes.copyOf(chain.get(1).getEncoded()))));
  }

  @Test
  void lookupsWhenVcekTableThenServesVcekAndMatchingChainOnly() throws Exception {
    CertificateTableSource source =
        CertificateTableSource.parse(CertificateTableTest.milanVcekTable().encode());
    assertThat(source.hasEndorsementKey(SignerKind.VCEK)).isTrue();
    assertThat(source.hasEndorsementKey(SignerKind.VLEK)).isFalse();
    assertThat(source.vcek(Product.MILAN, GSG_CHIP, GSG_TCB).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
    assertThat(source.certChain(Product.MILAN, SignerKind.VCEK))
        .isEqualTo(KdsVectors.chain(Product.MILAN, SignerKind.VCEK));
    assertReason(() -> source.certChain(Product.MILAN, SignerKind.VLEK), Reason.NOT_FOUND,
        "ASK entry is CN=SEV-Milan, not CN=SEV-VLEK-Milan");
    assertReason(() -> source.certChain(Product.GENOA, SignerKind.VCEK), Reason.NOT_FOUND,
        "not CN=SEV-Genoa");
    assertReason(() -> source.vlek(), Reason.NOT_FOUND, "no VLEK entry");
    assertReason(() -> source.crl(Product.MILAN, SignerKind.VCEK), Reason.NOT_FOUND, "no CRL");
  }

  @Test
  void lookupsWhenVlekTableThenServesVlekAndAsvkChain() throws Exception {
    CertificateTableSource source = new CertificateTableSource(vlekTable());
    X509Certificate vlek = source.vlek();
    assertThat(vlek.getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.VLEK_MILAN));
    assertThat(AmdNames.commonName(vlek)).contains("SEV-VLEK");
    assertThat(source.certChain(Product.MILAN, SignerKind.VLEK))
        .isEqualTo(KdsVectors.chain(Product.MILAN, SignerKind.VLEK));
    assertReason(() -> source.vcek(Product.MILAN, Bytes.zeros(64), GSG_TCB), Reason.NOT_FOUND,
        "no VCEK entry");
  }

  @Test
  void lookupsWhenEntryIsNotACertificateThenMalformedNamingTheEntry() throws Exception {
    CertificateTableSource source = new CertificateTableSource(CertificateTable.of(List.of(
        new Entry(CertificateTable.VCEK_GUID, Bytes.fromHex("3082")),
        new Entry(CertificateTable.ASK_GUID, Bytes.empty()))));
    assertReason(() -> source.vcek(Product.MILAN, GSG_CHIP, GSG_TCB), Reason.MALFORMED,
        "certificate table VCEK entry");
    assertReason(() -> source.certChain(Product.MILAN, SignerKind.VCEK), Reason.MALFORMED,
        "ASK entry");
  }

  @Test
  void firstAvailableWhenEarlierSourcesLackADocumentThenAsksTheNext() throws Exception {
    // The host sent only the VCEK; chain and CRL come from the next sources.
    CertificateTableSource table = new CertificateTableSource(CertificateTable.of(List.of(
        new Entry(CertificateTable.VCEK_GUID,
            Bytes.copyOf(KdsVectors.vcekDer(KdsVectors.GSG_MILAN))))));
    X509CRL crl = KdsDocuments.parseCrl(KdsVectors.syntheticCrl(Product.MILAN,
        KdsVectors.TEST_TIME, KdsVectors.TEST_TIME.plusSeconds(60)));
    KdsCertificateSource fallback = new FixedSource(crl);
    KdsCertificateSource combined = KdsSources.firstAvailable(table, fallback);

    assertThat(combined.vcek(Product.MILAN, GSG_CHIP, GSG_TCB).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
    assertThat(combined.certChain(Product.MILAN, SignerKind.VCEK))
        .isEqualTo(KdsVectors.chain(Product.MILAN, SignerKind.VCEK));
    assertThat(combined.crl(Product.MILAN, SignerKind.VCEK)).isSameAs(crl);
  }

  @Test
  void firstAvailableWhenASourceFailsOtherwiseThenThatFailureIsThrown() throws Exception {
    CertificateTableSource broken = new CertificateTableSource(CertificateTable.of(List.of(
        new Entry(CertificateTable.VCEK_GUID, Bytes.fromHex("00")))));
    KdsCertificateSource combined = KdsSources.firstAvailable(broken, new FixedSource(null));
    assertReason(() -> combined.vcek(Product.MILAN, GSG_CHIP, GSG_TCB), Reason.MALFORMED,
        "VCEK entry");
  }

  @Test
  void firstAvailableWhenEverySourceMissesThenNotFoundWithAllMisses() {
    KdsCertificateSource combined = KdsSources.firstAvailable(
        new CertificateTableSource(CertificateTable.empty()),
        new CertificateTableSource(CertificateTable.empty()));
    assertThatThrownBy(() -> combined.crl(Product.TURIN, SignerKind.VLEK))
        .isInstanceOfSatisfying(KdsException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
          assertThat(e.getSuppressed()).hasSize(1);
          assertThat(e).hasMessageContaining("not found in any of 2 sources");
        });
    assertThatThrownBy(() -> KdsSources.firstAvailable(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Serves the real Milan VCEK chain and a given CRL; no VCEKs. */
  private record FixedSource(X509CRL crlOrNull) implements KdsCertificateSource {
    @Override
    public X509Certificate vcek(Product product, Bytes chipId, TcbVersion reportedTcb)
        throws KdsException {
      throw new KdsException(Reason.NOT_FOUND, "fixed source has no VCEKs");
    }

    @Override
    public List<X509Certificate> certChain(Product product, SignerKind kind) {
      return KdsVectors.chain(product, kind);
    }

    @Override
    public X509CRL crl(Product product, SignerKind kind) throws KdsException {
      if (crlOrNull == null) {
        throw new KdsException(Reason.NOT_FOUND, "no CRL");
      }
      return crlOrNull;
    }
  }
}
