package dev.carapace.snp.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryKdsSourceTest {
  @TempDir
  Path dir;

  private static final Bytes GSG_CHIP = KdsVectors.chipId(KdsVectors.GSG_MILAN);
  private static final TcbVersion GSG_TCB =
      KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN);

  /** Copies the real chains of every product, plus CRLs, in the documented layout. */
  private void writeChainsAndCrls() throws Exception {
    for (Product p : Product.values()) {
      Path pd = Files.createDirectories(dir.resolve(p.kdsName()));
      Files.write(pd.resolve("cert_chain.pem"), KdsVectors.chainPem(p, SignerKind.VCEK));
      Files.write(pd.resolve("vlek_cert_chain.pem"), KdsVectors.chainPem(p, SignerKind.VLEK));
      Files.write(pd.resolve("crl.der"), KdsVectors.syntheticCrl(p, KdsVectors.TEST_TIME,
          KdsVectors.TEST_TIME.plus(Duration.ofDays(1))));
    }
  }

  private static void assertReason(ThrowingCallable call, Reason reason, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KdsException.class,
        e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(messagePart);
  }

  @Test
  void vcekFileNameWhenRealMilanReportThenHwidAndCanonicalTcbHex() {
    assertThat(DirectoryKdsSource.vcekFileName(VcekId.of(Product.MILAN, GSG_CHIP, GSG_TCB)))
        .isEqualTo("vcek_" + GSG_CHIP.toHex() + "_4405000000000002.der");
    assertThat(DirectoryKdsSource.vcekFileName(VcekId.of(Product.TURIN, KdsVectors.turinChipId(),
        KdsVectors.TURIN_TCB))).isEqualTo("vcek_1e550a8ee5cf9f4d_0900000000000000.der");
  }

  @Test
  void certChainAndCrlWhenLayoutHoldsRealChainsThenServesThemPerProductAndKind()
      throws Exception {
    writeChainsAndCrls();
    DirectoryKdsSource source = new DirectoryKdsSource(dir);
    for (Product p : Product.values()) {
      for (SignerKind k : SignerKind.values()) {
        assertThat(source.certChain(p, k)).isEqualTo(KdsVectors.chain(p, k));
      }
      X509CRL crl = source.crl(p, SignerKind.VCEK);
      assertThat(crl.getIssuerX500Principal().getName()).contains("CN=ARK-" + p.kdsName());
    }
    assertReason(() -> source.crl(Product.MILAN, SignerKind.VLEK), Reason.NOT_FOUND,
        "vlek_crl.der");
  }

  @Test
  void vcekWhenSpecificFileExistsThenPrefersItOverTheGenericOne() throws Exception {
    Path milan = Files.createDirectories(dir.resolve("Milan"));
    Files.write(milan.resolve("vcek.der"), KdsVectors.vcekDer(KdsVectors.GCP_MILAN));
    Files.write(milan.resolve(DirectoryKdsSource.vcekFileName(
        VcekId.of(Product.MILAN, GSG_CHIP, GSG_TCB))), KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
    DirectoryKdsSource source = new DirectoryKdsSource(dir);

    assertThat(source.vcek(Product.MILAN, GSG_CHIP, GSG_TCB).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
    // Another TCB of the same chip: only the generic file fits.
    assertThat(source.vcek(Product.MILAN, GSG_CHIP, TcbVersion.of(Product.MILAN, 3, 0, 5, 68, 0))
        .getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.GCP_MILAN));
    // A masked chip id: only the generic file, never a chip-specific one.
    assertThat(source.vcek(Product.MILAN, Bytes.zeros(64), GSG_TCB).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GCP_MILAN));
  }

  @Test
  void vcekWhenFilesArePemThenParsedWhateverTheExtension() throws Exception {
    Path milan = Files.createDirectories(dir.resolve("Milan"));
    byte[] pem = KdsVectors.bytes(KdsVectors.GCP_MILAN + "/vcek.pem");
    Bytes gcpChip = KdsVectors.chipId(KdsVectors.GCP_MILAN);
    TcbVersion gcpTcb = KdsVectors.reportedTcb(KdsVectors.GCP_MILAN, Product.MILAN);
    String der = DirectoryKdsSource.vcekFileName(VcekId.of(Product.MILAN, gcpChip, gcpTcb));
    Files.write(milan.resolve(der.replace(".der", ".pem")), pem);
    Files.write(milan.resolve("vcek.pem"), pem);
    DirectoryKdsSource source = new DirectoryKdsSource(dir);
    assertThat(source.vcek(Product.MILAN, gcpChip, gcpTcb).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GCP_MILAN));
    assertThat(source.vcek(Product.MILAN, GSG_CHIP, GSG_TCB).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GCP_MILAN));
  }

  @Test
  void vcekWhenTurinThenLooksUpTheEightByteHwid() throws Exception {
    Path turin = Files.createDirectories(dir.resolve("Turin"));
    Files.write(turin.resolve("vcek_1e550a8ee5cf9f4d_0900000000000000.der"),
        KdsVectors.vcekDer(KdsVectors.TURIN));
    assertThat(new DirectoryKdsSource(dir).vcek(Product.TURIN, KdsVectors.turinChipId(),
        KdsVectors.TURIN_TCB).getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.TURIN));
  }

  @Test
  void lookupsWhenFilesMissingThenNotFoundNamingThem() throws Exception {
    DirectoryKdsSource source = new DirectoryKdsSource(dir);
    assertReason(() -> source.vcek(Product.MILAN, GSG_CHIP, GSG_TCB), Reason.NOT_FOUND,
        "vcek_" + GSG_CHIP.toHex() + "_4405000000000002.der");
    assertReason(() -> source.vcek(Product.MILAN, Bytes.zeros(64), GSG_TCB), Reason.NOT_FOUND,
        "vcek.der, vcek.pem)");
    assertReason(() -> source.certChain(Product.GENOA, SignerKind.VCEK), Reason.NOT_FOUND,
        dir.resolve("Genoa").resolve("cert_chain.pem").toString());
  }

  @Test
  void lookupsWhenFilesMalformedOrOversizedThenMalformedNamingThem() throws Exception {
    writeChainsAndCrls();
    Path milan = dir.resolve("Milan");
    Files.writeString(milan.resolve("cert_chain.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n"
        + "-----END CERTIFICATE-----\n");
    Files.write(milan.resolve("crl.der"), KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
    Files.write(milan.resolve("vcek.der"), new byte[KdsDocuments.MAX_DOCUMENT_SIZE + 1]);
    DirectoryKdsSource source = new DirectoryKdsSource(dir);
    assertReason(() -> source.certChain(Product.MILAN, SignerKind.VCEK), Reason.MALFORMED,
        milan.resolve("cert_chain.pem").toString());
    assertReason(() -> source.crl(Product.MILAN, SignerKind.VCEK), Reason.MALFORMED,
        milan.resolve("crl.der").toString());
    assertReason(() -> source.vcek(Product.MILAN, GSG_CHIP, GSG_TCB), Reason.MALFORMED,
        "exceeds");
  }

  @Test
  void storeWhenWritingDocumentsThenReadsBackEqual() throws Exception {
    VcekId id = VcekId.of(Product.GENOA, KdsVectors.chipId(KdsVectors.GENOA),
        KdsVectors.reportedTcb(KdsVectors.GENOA, Product.GENOA));
    X509Certificate vcek = KdsVectors.certificate(KdsVectors.vcekDer(KdsVectors.GENOA));
    List<X509Certificate> chain = KdsVectors.chain(Product.GENOA, SignerKind.VLEK);
    X509CRL crl = KdsDocuments.parseCrl(KdsVectors.syntheticCrl(Product.GENOA,
        KdsVectors.TEST_TIME, KdsVectors.TEST_TIME.plus(Duration.ofDays(1))));

    Path vcekFile = DirectoryKdsSource.storeVcek(dir, id, vcek);
    DirectoryKdsSource.storeCertChain(dir, Product.GENOA, SignerKind.VLEK, chain);
    DirectoryKdsSource.storeCrl(dir, Product.GENOA, SignerKind.VLEK, crl);
    DirectoryKdsSource.storeVcek(dir, id, vcek); // replaces

    assertThat(vcekFile).isEqualTo(dir.resolve("Genoa").resolve(
        DirectoryKdsSource.vcekFileName(id)));
    try (var files = Files.list(dir.resolve("Genoa"))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
          DirectoryKdsSource.vcekFileName(id), "vlek_cert_chain.pem", "vlek_crl.der");
    }
    DirectoryKdsSource source = new DirectoryKdsSource(dir);
    assertThat(source.vcek(Product.GENOA, KdsVectors.chipId(KdsVectors.GENOA), id.tcb()))
        .isEqualTo(vcek);
    assertThat(source.certChain(Product.GENOA, SignerKind.VLEK)).isEqualTo(chain);
    assertThat(source.crl(Product.GENOA, SignerKind.VLEK)).isEqualTo(crl);
  }

  @Test
  void loadWhenDirectoryThenDirectorySource() throws Exception {
    writeChainsAndCrls();
    KdsCertificateSource source = KdsSources.load(dir);
    assertThat(source).isInstanceOf(DirectoryKdsSource.class);
    assertThat(source.certChain(Product.TURIN, SignerKind.VCEK))
        .isEqualTo(KdsVectors.chain(Product.TURIN, SignerKind.VCEK));
  }

  @Test
  void loadWhenFileIsACertificateTableThenTableSource() throws Exception {
    List<X509Certificate> chain = KdsVectors.chain(Product.MILAN, SignerKind.VCEK);
    CertificateTable table = CertificateTable.of(List.of(
        new CertificateTable.Entry(CertificateTable.VCEK_GUID,
            Bytes.copyOf(KdsVectors.vcekDer(KdsVectors.GSG_MILAN))),
        new CertificateTable.Entry(CertificateTable.ASK_GUID,
            Bytes.copyOf(chain.get(0).getEncoded())),
        new CertificateTable.Entry(CertificateTable.ARK_GUID,
            Bytes.copyOf(chain.get(1).getEncoded()))));
    byte[] padded = new byte[16384];
    byte[] encoded = table.encode();
    System.arraycopy(encoded, 0, padded, 0, encoded.length);
    Path file = Files.write(dir.resolve("auxblob"), padded);

    KdsCertificateSource source = KdsSources.load(file);
    assertThat(source).isInstanceOf(CertificateTableSource.class);
    assertThat(source.vcek(Product.MILAN, GSG_CHIP, GSG_TCB).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
    assertThat(source.certChain(Product.MILAN, SignerKind.VCEK)).isEqualTo(chain);
  }

  @Test
  void loadWhenPathMissingOrNotATableThenNotFoundOrMalformed() throws Exception {
    assertReason(() -> KdsSources.load(dir.resolve("nope")), Reason.NOT_FOUND, "nope");
    Path garbage = Files.writeString(dir.resolve("garbage"), "hello, not a table");
    assertReason(() -> KdsSources.load(garbage), Reason.MALFORMED, garbage.toString());
  }
}
