package dev.carapace.snp.simulate;

import static dev.carapace.snp.simulate.Fixture.BC;
import static dev.carapace.snp.simulate.Fixture.CLOCK;
import static dev.carapace.snp.simulate.Fixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportVectors;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ProductRoots;
import dev.carapace.snp.verify.TrustedRoots;
import dev.carapace.snp.verify.VcekExtensions;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnpDevelopmentPkiTest {
  private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";

  @Test
  void generateWhenDefaultsThenRsa4096InAmdsProfileAndNamesQualified() throws Exception {
    SnpDevelopmentPki pki = SnpDevelopmentPki.generate(Product.MILAN, Fixture.random(), BC, CLOCK);
    ProductRoots amd = TrustedRoots.amd().forProduct(Product.MILAN).orElseThrow();
    X509Certificate ark = pki.arkCertificate();
    X509Certificate ask = pki.askCertificate();
    X509Certificate asvk = pki.asvkCertificate().orElseThrow();

    Instant notBefore = NOW.minus(SnpDevelopmentPki.BACKDATE);
    for (X509Certificate[] pair : new X509Certificate[][] {
        {ark, amd.ark()}, {ask, amd.ask()}, {asvk, amd.asvk()}}) {
      X509Certificate dev = pair[0];
      X509Certificate real = pair[1];
      assertThat(((RSAPublicKey) dev.getPublicKey()).getModulus().bitLength()).isEqualTo(4096);
      assertThat(dev.getVersion()).isEqualTo(3);
      assertThat(dev.getSigAlgOID()).isEqualTo(RSASSA_PSS);
      // Byte-identical PSS parameters (SHA-384, MGF1-SHA-384, salt 48, explicit trailer 1).
      assertThat(dev.getSigAlgParams()).isEqualTo(real.getSigAlgParams());
      assertThat(dev.getCriticalExtensionOIDs()).isEqualTo(real.getCriticalExtensionOIDs());
      assertThat(dev.getNonCriticalExtensionOIDs()).isEqualTo(real.getNonCriticalExtensionOIDs());
      assertThat(dev.getKeyUsage()).isEqualTo(real.getKeyUsage());
      assertThat(dev.getBasicConstraints()).isEqualTo(real.getBasicConstraints());
      assertThat(dev.getExtensionValue("2.5.29.31")).isEqualTo(real.getExtensionValue("2.5.29.31"));
      assertThat(attributeTypes(dev)).isEqualTo(concat(attributeTypes(real), BCStyle.DN_QUALIFIER));
      assertThat(commonName(dev)).isEqualTo(commonName(real));
      assertThat(SnpDevelopmentPki.isDevelopmentName(dev.getSubjectX500Principal())).isTrue();
      assertThat(SnpDevelopmentPki.isDevelopmentName(real.getSubjectX500Principal())).isFalse();
      assertThat(dev.getNotBefore().toInstant()).isEqualTo(notBefore);
      assertThat(dev.getNotAfter().toInstant())
          .isEqualTo(notBefore.atOffset(ZoneOffset.UTC).plusYears(25).toInstant());
      dev.verify(ark.getPublicKey(), BC);
    }
    assertThat(ark.getIssuerX500Principal()).isEqualTo(ark.getSubjectX500Principal());
    assertThat(ask.getIssuerX500Principal()).isEqualTo(ark.getSubjectX500Principal());
    assertThat(pki.dnQualifier()).matches("carapace-development-[0-9a-f]{16}");
    assertThat(TrustedRoots.isAmdArk(ark)).isFalse();
  }

  @Test
  void generateWhenTwiceThenNamesDiffer() throws Exception {
    SnpDevelopmentPki a = Fixture.pki(Product.GENOA);
    SnpDevelopmentPki b = Fixture.newPki(Product.GENOA);
    assertThat(a.dnQualifier()).isNotEqualTo(b.dnQualifier());
    assertThat(a.askCertificate().getSubjectX500Principal())
        .isNotEqualTo(b.askCertificate().getSubjectX500Principal());
  }

  @Test
  void generateWhenInvalidArgumentsThenRejected() {
    assertThatThrownBy(() -> SnpDevelopmentPki.generate(Product.MILAN, 1024, false, NOW,
        NOW.plusSeconds(60), Fixture.random(), BC)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnpDevelopmentPki.generate(Product.MILAN, 2048, false, NOW, NOW,
        Fixture.random(), BC)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issueVcekWhenMilanThenExtensionsInKdsOrderAndRawHwId() throws Exception {
    SnpDevelopmentPki pki = Fixture.pki(Product.MILAN);
    Bytes chipId = Fixture.filled(64, 0xa5);
    TcbVersion tcb = TcbVersion.of(Product.MILAN, 4, 0, 27, 222, 0);
    X509Certificate vcek = pki.issueVcek(p384().getPublic(), chipId, tcb, NOW,
        NOW.plus(Duration.ofDays(7)), Fixture.random());
    X509Certificate real = ReportVectors.certificate("report-virtee/virtee_milan_v2/vcek.der");

    assertThat(vcek.getSerialNumber()).isZero();
    assertThat(vcek.getVersion()).isEqualTo(3);
    assertThat(vcek.getSigAlgParams()).isEqualTo(real.getSigAlgParams());
    assertThat(vcek.getBasicConstraints()).isEqualTo(-1);
    assertThat(vcek.getKeyUsage()).isNull();
    assertThat(vcek.getCriticalExtensionOIDs()).isNullOrEmpty();
    assertThat(extensionOrder(vcek)).isEqualTo(extensionOrder(real));
    assertThat(commonName(vcek)).isEqualTo("SEV-VCEK");
    assertThat(vcek.getIssuerX500Principal()).isEqualTo(pki.askCertificate()
        .getSubjectX500Principal());
    byte[] hwId = vcek.getExtensionValue(VcekExtensions.HW_ID);
    assertThat(Arrays.copyOf(hwId, 2)).containsExactly(0x04, 0x40);
    assertThat(Bytes.copyOf(hwId, 2, 64)).isEqualTo(chipId);
    // ucodeSPL 222 needs two bytes, as on AMD's certificates (02 02 00 de).
    assertThat(vcek.getExtensionValue(VcekExtensions.UCODE_SPL))
        .containsExactly(0x04, 0x04, 0x02, 0x02, 0x00, 0xde);

    VcekExtensions ext = VcekExtensions.of(vcek);
    assertThat(ext.structVersion()).isZero();
    assertThat(ext.productName()).isEqualTo("Milan-B0");
    assertThat(ext.tcb(Product.MILAN)).isEqualTo(tcb);
    assertThat(ext.hwIdValue()).contains(chipId);
    vcek.verify(pki.askCertificate().getPublicKey(), BC);
  }

  @Test
  void issueVcekWhenTurinThenStructVersion1FmcSplAnd8ByteHwIdInKdsOrder() throws Exception {
    SnpDevelopmentPki pki = Fixture.pki(Product.TURIN);
    TcbVersion tcb = TcbVersion.of(Product.TURIN, 1, 1, 4, 81, 1);
    X509Certificate vcek = pki.issueVcek(p384().getPublic(), Bytes.fromHex("1122334455667788"),
        tcb, NOW, NOW.plus(Duration.ofDays(7)), Fixture.random());
    X509Certificate real =
        ReportVectors.certificate("report-virtee/virtee_turin_vcek_only/vcek.der");

    assertThat(extensionOrder(vcek)).isEqualTo(extensionOrder(real));
    assertThat(vcek.getExtensionValue(VcekExtensions.HW_ID))
        .isEqualTo(Bytes.fromHex("04081122334455667788").toByteArray());
    VcekExtensions ext = VcekExtensions.of(vcek);
    assertThat(ext.structVersion()).isEqualTo(1);
    assertThat(ext.productName()).isEqualTo("Turin");
    assertThat(ext.fmcSplValue()).hasValue(1);
    assertThat(ext.tcb(Product.TURIN)).isEqualTo(tcb);
    assertThat(ext.tcb(Product.TURIN).raw()).isEqualTo(0x5100000004010101L);

    Bytes padded = Bytes.fromHex("1122334455667788" + "00".repeat(56));
    assertThat(VcekExtensions.of(pki.issueVcek(p384().getPublic(), padded, tcb, NOW,
        NOW.plusSeconds(60), Fixture.random())).hwIdValue())
        .contains(Bytes.fromHex("1122334455667788"));
  }

  @Test
  void issueVlekWhenAsvkThenCspIdAndPlainProductName() throws Exception {
    SnpDevelopmentPki pki = Fixture.pki(Product.MILAN);
    X509Certificate vlek = pki.issueVlek(p384().getPublic(), "CN=example.invalid",
        TcbVersion.of(Product.MILAN, 4, 0, 24, 217, 0), NOW, NOW.plus(Duration.ofDays(365)),
        Fixture.random());
    X509Certificate real =
        ReportVectors.certificate("report-trustee/trustee_milan_v3_vlek/vlek.der");

    assertThat(extensionOrder(vlek)).isEqualTo(extensionOrder(real));
    assertThat(commonName(vlek)).isEqualTo("SEV-VLEK");
    VcekExtensions ext = VcekExtensions.of(vlek);
    assertThat(ext.productName()).isEqualTo("Milan");
    assertThat(ext.cspIdValue()).contains("CN=example.invalid");
    assertThat(ext.hwIdValue()).isEmpty();
    vlek.verify(pki.asvkCertificate().orElseThrow().getPublicKey(), BC);
  }

  @Test
  void issueVcekWhenWrongKeyLayoutOrChipIdThenRejected() throws Exception {
    SnpDevelopmentPki pki = Fixture.pki(Product.MILAN);
    KeyPairGenerator p256 = KeyPairGenerator.getInstance("EC", BC);
    p256.initialize(new ECGenParameterSpec("secp256r1"), Fixture.random());
    TcbVersion milanTcb = TcbVersion.of(Product.MILAN, 1, 0, 1, 1, 0);
    Instant later = NOW.plusSeconds(60);

    assertThatThrownBy(() -> pki.issueVcek(p256.generateKeyPair().getPublic(),
        Bytes.zeros(64), milanTcb, NOW, later, Fixture.random()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-384");
    assertThatThrownBy(() -> pki.issueVcek(p384().getPublic(), Bytes.zeros(64),
        TcbVersion.of(Product.TURIN, 1, 1, 1, 1, 1), NOW, later, Fixture.random()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layout");
    assertThatThrownBy(() -> pki.issueVcek(p384().getPublic(), Bytes.zeros(8), milanTcb, NOW,
        later, Fixture.random())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fixture.pki(Product.TURIN).issueVcek(p384().getPublic(),
        Fixture.filled(64, 1), TcbVersion.of(Product.TURIN, 1, 1, 1, 1, 1), NOW, later,
        Fixture.random())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fixture.pki(Product.TURIN).issueVcek(p384().getPublic(),
        Bytes.fromHex("0102030405060708"),
        TcbVersion.decode(Product.TURIN, 0x51_00_01_00_04_01_01_01L), // byte 5 reserved, set
        NOW, later, Fixture.random())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issueCrlWhenRevokedSerialsThenArkSignedPssCrlListsThem() throws Exception {
    SnpDevelopmentPki pki = Fixture.pki(Product.MILAN);
    X509CRL crl = pki.issueCrl(NOW, NOW.plus(Duration.ofDays(7)),
        List.of(pki.askCertificate().getSerialNumber()), Fixture.random());

    assertThat(crl.getIssuerX500Principal()).isEqualTo(pki.arkCertificate()
        .getSubjectX500Principal());
    assertThat(crl.getSigAlgOID()).isEqualTo(RSASSA_PSS);
    assertThat(crl.getSigAlgParams()).isEqualTo(pki.arkCertificate().getSigAlgParams());
    assertThat(crl.getRevokedCertificate(pki.askCertificate().getSerialNumber())).isNotNull();
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW);
    crl.verify(pki.arkCertificate().getPublicKey(), BC);
    assertThatThrownBy(() -> pki.issueCrl(NOW, NOW, List.of(), Fixture.random()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writeToWhenReadBackThenSameHierarchyAndKeyFilesOwnerOnly(@TempDir Path dir)
      throws Exception {
    SnpDevelopmentPki pki = Fixture.pki(Product.TURIN);
    pki.writeTo(dir);
    SnpDevelopmentPki read = SnpDevelopmentPki.readFrom(dir, BC);

    assertThat(read.product()).isEqualTo(Product.TURIN);
    assertThat(read.dnQualifier()).isEqualTo(pki.dnQualifier());
    assertThat(read.arkCertificate()).isEqualTo(pki.arkCertificate());
    assertThat(read.askCertificate()).isEqualTo(pki.askCertificate());
    assertThat(read.asvkCertificate()).isEqualTo(pki.asvkCertificate());
    assertThat(Files.readString(dir.resolve(SnpDevelopmentPki.VCEK_CHAIN_FILE)))
        .isEqualTo(pki.vcekChainPem());
    assertThat(Files.exists(dir.resolve(SnpDevelopmentPki.VLEK_CHAIN_FILE))).isTrue();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "ark.pem", "ark.key.pem", "ask.pem", "ask.key.pem", "asvk.pem", "asvk.key.pem",
          "vcek_cert_chain.pem", "vlek_cert_chain.pem");
    }
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
    for (String key : List.of("ark.key.pem", "ask.key.pem", "asvk.key.pem")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
          .as(key).isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve("ark.pem")))).isEqualTo("rw-r--r--");
  }

  @Test
  void writeToWhenNoAsvkThenStaleAsvkFilesRemovedAndReadBackWithoutAsvk(@TempDir Path dir)
      throws Exception {
    Fixture.pki(Product.GENOA).writeTo(dir);
    SnpDevelopmentPki noAsvk = SnpDevelopmentPki.generate(Product.GENOA, Fixture.TEST_RSA_BITS,
        false, NOW, NOW.plus(Duration.ofDays(365)), Fixture.random(), BC);
    noAsvk.writeTo(dir);

    SnpDevelopmentPki read = SnpDevelopmentPki.readFrom(dir, BC);
    assertThat(read.asvkCertificate()).isEmpty();
    assertThat(read.arkCertificate()).isEqualTo(noAsvk.arkCertificate());
    assertThat(Files.exists(dir.resolve("asvk.key.pem"))).isFalse();
    assertThat(read.productRoots().asvkValue()).isEmpty();
    assertThat(read.vlekChain()).isEmpty();
  }

  @Test
  void readFromWhenFilesMixedOrMissingThenRejected(@TempDir Path dir) throws Exception {
    SnpDevelopmentPki a = Fixture.pki(Product.MILAN);
    Path one = Files.createDirectories(dir.resolve("a"));
    Path two = Files.createDirectories(dir.resolve("b"));
    a.writeTo(one);
    Fixture.newPki(Product.MILAN).writeTo(two);

    Files.copy(two.resolve("ask.key.pem"), one.resolve("ask.key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> SnpDevelopmentPki.readFrom(one, BC))
        .isInstanceOf(InvalidKeyException.class);

    a.writeTo(one);
    Files.copy(two.resolve("ask.pem"), one.resolve("ask.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(two.resolve("ask.key.pem"), one.resolve("ask.key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> SnpDevelopmentPki.readFrom(one, BC))
        .isInstanceOf(CertificateException.class);

    Files.delete(one.resolve("ark.key.pem"));
    assertThatThrownBy(() -> SnpDevelopmentPki.readFrom(one, BC))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void toStringWhenCalledThenNoPrivateKeyMaterial() throws Exception {
    SnpDevelopmentPki pki = Fixture.pki(Product.MILAN);
    assertThat(pki.toString()).contains("MILAN").contains(pki.dnQualifier())
        .doesNotContain("PRIVATE").doesNotContain("modulus");
  }

  private static KeyPair p384() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
    g.initialize(new ECGenParameterSpec("secp384r1"), Fixture.random());
    return g.generateKeyPair();
  }

  private static List<ASN1ObjectIdentifier> attributeTypes(X509Certificate cert) {
    return Arrays.stream(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded())
        .getRDNs()).map(RDN::getFirst).map(a -> a.getType()).collect(Collectors.toList());
  }

  private static String commonName(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded())
        .getRDNs(BCStyle.CN)[0].getFirst().getValue().toString();
  }

  private static List<ASN1ObjectIdentifier> concat(List<ASN1ObjectIdentifier> list,
      ASN1ObjectIdentifier last) {
    return Stream.concat(list.stream(), Stream.of(last)).collect(Collectors.toList());
  }

  private static List<ASN1ObjectIdentifier> extensionOrder(X509Certificate cert)
      throws Exception {
    return Arrays.asList(Certificate.getInstance(cert.getEncoded()).getTBSCertificate()
        .getExtensions().getExtensionOIDs());
  }
}
