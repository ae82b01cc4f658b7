package dev.carapace.tdx.simulate;

import static dev.carapace.tdx.simulate.Fixture.BC;
import static dev.carapace.tdx.simulate.Fixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carapace.tdx.pcs.TcbStatus;
import dev.carapace.tdx.quote.QuoteParser;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentPkiTest {
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

  @Test
  void generateWhenClockGivenThenHierarchyMirrorsIntelAndIsBackdated() throws Exception {
    DevelopmentPki pki = Fixture.pki();
    X509Certificate root = pki.rootCertificate();
    X509Certificate ca = pki.pckCaCertificate();
    X509Certificate tcb = pki.tcbSigningCertificate();

    assertThat(root.getSubjectX500Principal().getName())
        .isEqualTo("O=Carapace Development,CN=Carapace Development SGX Root CA");
    assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(ca.getSubjectX500Principal().getName()).contains(DevelopmentPki.PCK_CA_CN);
    assertThat(tcb.getSubjectX500Principal().getName()).contains(DevelopmentPki.TCB_SIGNING_CN);
    assertThat(root.getBasicConstraints()).isEqualTo(1);
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(tcb.getBasicConstraints()).isEqualTo(-1);
    for (X509Certificate c : List.of(root, ca, tcb)) {
      assertThat(c.getSigAlgOID()).isEqualTo(ECDSA_WITH_SHA256);
      assertThat(((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField()
          .getFieldSize()).isEqualTo(256);
      assertThat(c.getNotBefore().toInstant()).isEqualTo(NOW.minus(DevelopmentPki.BACKDATE));
      assertThat(c.getNotAfter().toInstant())
          .isEqualTo(NOW.minus(DevelopmentPki.BACKDATE).plus(DevelopmentPki.DEFAULT_VALIDITY));
      assertThat(c.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.15", "2.5.29.19");
      assertThat(c.getNonCriticalExtensionOIDs())
          .containsExactlyInAnyOrder("2.5.29.35", "2.5.29.31", "2.5.29.14");
    }
    root.verify(root.getPublicKey(), BC);
    ca.verify(root.getPublicKey(), BC);
    tcb.verify(root.getPublicKey(), BC);
    assertThat(pki.trustAnchors()).containsExactly(root);
  }

  @Test
  void generateWhenNotBeforeAndValidityGivenThenCertificatesUseThem() throws Exception {
    Instant notBefore = Instant.parse("2030-01-01T00:00:00Z");
    DevelopmentPki pki =
        DevelopmentPki.generate(Fixture.random(), BC, notBefore, Duration.ofDays(30 * 365));

    assertThat(pki.pckCaCertificate().getNotBefore().toInstant()).isEqualTo(notBefore);
    assertThat(pki.rootCertificate().getNotAfter().toInstant())
        .isEqualTo(notBefore.plus(Duration.ofDays(30 * 365)));
    assertThatThrownBy(() -> DevelopmentPki.generate(Fixture.random(), BC, notBefore,
        Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issuePckCrlWhenSerialsGivenThenListedWithCrlNumberAndAki() throws Exception {
    DevelopmentPki pki = Fixture.pki();
    BigInteger serial = BigInteger.valueOf(0x1234567);
    X509CRL pckCrl = pki.issuePckCrl(NOW, NOW.plus(Duration.ofDays(1)), List.of(serial),
        Fixture.random());
    X509CRL rootCrl = pki.issueRootCaCrl(NOW, NOW.plus(Duration.ofDays(1)), List.of(),
        Fixture.random());

    pckCrl.verify(pki.pckCaCertificate().getPublicKey(), BC);
    rootCrl.verify(pki.rootCertificate().getPublicKey(), BC);
    assertThat(pckCrl.getIssuerX500Principal())
        .isEqualTo(pki.pckCaCertificate().getSubjectX500Principal());
    assertThat(pckCrl.getRevokedCertificate(serial)).isNotNull();
    assertThat(rootCrl.getRevokedCertificates()).isNull();
    assertThat(pckCrl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(1)));
    for (X509CRL crl : List.of(pckCrl, rootCrl)) {
      assertThat(crl.getNonCriticalExtensionOIDs()).contains(
          Extension.cRLNumber.getId(), Extension.authorityKeyIdentifier.getId());
      assertThat(crl.getSigAlgOID()).isEqualTo(ECDSA_WITH_SHA256);
      ASN1Primitive number = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(
          crl.getExtensionValue(Extension.cRLNumber.getId())).getOctets());
      assertThat(((ASN1Integer) number).getValue()).isEqualTo(NOW.getEpochSecond());
    }
  }

  @Test
  void writeToReadFromWhenRoundTripThenPkiProducesVerifiableQuotes(@TempDir Path dir)
      throws Exception {
    DevelopmentPki original = Fixture.pki();
    original.writeTo(dir.resolve("pki"));

    DevelopmentPki read = DevelopmentPki.readFrom(dir.resolve("pki"), BC);
    TdxQuoteSimulator sim = Fixture.simulator(read, SimulatedPlatform.defaults());
    byte[] quote = sim.quote(TdQuoteRequest.builder().build());

    assertThat(read.rootCertificate()).isEqualTo(original.rootCertificate());
    assertThat(read.pckCaCertificate()).isEqualTo(original.pckCaCertificate());
    assertThat(read.tcbSigningCertificate()).isEqualTo(original.tcbSigningCertificate());
    assertThat(Fixture.developmentVerifier(original, NOW)
        .verify(QuoteParser.parse(quote), sim.collateral()).tcbStatus())
        .isEqualTo(TcbStatus.UP_TO_DATE);
    try (Stream<Path> files = Files.list(dir.resolve("pki"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "root-ca.pem", "root-ca.key.pem", "pck-platform-ca.pem", "pck-platform-ca.key.pem",
          "tcb-signing.pem", "tcb-signing.key.pem");
    }
    assertThat(Files.readString(dir.resolve("pki/root-ca.key.pem")))
        .startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(Files.readString(dir.resolve("pki/root-ca.pem")))
        .startsWith("-----BEGIN CERTIFICATE-----\n");
  }

  @Test
  void writeToWhenPosixFileSystemThenKeyFilesOwnerOnly(@TempDir Path dir) throws Exception {
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
    Fixture.pki().writeTo(dir);

    for (String key : List.of("root-ca.key.pem", "pck-platform-ca.key.pem",
        "tcb-signing.key.pem")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("root-ca.pem")))).isEqualTo("rw-r--r--");
  }

  @Test
  void writeToWhenFilesExistThenReplacedAtomically(@TempDir Path dir) throws Exception {
    Fixture.pki().writeTo(dir);
    DevelopmentPki second = Fixture.pki();
    second.writeTo(dir);

    assertThat(DevelopmentPki.readFrom(dir, BC).rootCertificate())
        .isEqualTo(second.rootCertificate());
  }

  @Test
  void readFromWhenKeyDoesNotMatchCertificateThenRejected(@TempDir Path dir) throws Exception {
    Fixture.pki().writeTo(dir.resolve("a"));
    Fixture.pki().writeTo(dir.resolve("b"));
    Files.copy(dir.resolve("b/pck-platform-ca.key.pem"), dir.resolve("a/pck-platform-ca.key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> DevelopmentPki.readFrom(dir.resolve("a"), BC))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("does not match");
  }

  @Test
  void readFromWhenFileMissingOrNotPemThenIoException(@TempDir Path dir) throws Exception {
    Fixture.pki().writeTo(dir);
    Files.writeString(dir.resolve("tcb-signing.pem"), "not a certificate");

    assertThatThrownBy(() -> DevelopmentPki.readFrom(dir, BC)).isInstanceOf(IOException.class);
    Files.delete(dir.resolve("root-ca.key.pem"));
    assertThatThrownBy(() -> DevelopmentPki.readFrom(dir, BC))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void toStringWhenCalledThenNoPrivateKeyMaterial(@TempDir Path dir) throws Exception {
    DevelopmentPki pki = Fixture.pki();
    pki.writeTo(dir);
    String text = pki.toString();
    ECPrivateKey key = (ECPrivateKey) pki.pckCaKey();

    assertThat(text).contains("Carapace Development SGX Root CA");
    for (ECPrivateKey k : List.of((ECPrivateKey) pki.tcbSigningKey(), key)) {
      assertThat(text).doesNotContain(k.getS().toString(16))
          .doesNotContain(k.getS().toString())
          .doesNotContain(Base64.getEncoder().encodeToString(k.getEncoded()).substring(40, 60));
    }
  }
}
