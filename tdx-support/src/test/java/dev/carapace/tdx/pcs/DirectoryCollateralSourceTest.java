package dev.carapace.tdx.pcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryCollateralSourceTest {
  @TempDir
  Path dir;

  /** The go-tdx-guest recordings under the documented file names. */
  static void writePcsLayout(Path dir) throws Exception {
    copy(PcsVectors.TCB_INFO, dir.resolve("tcb_info.json"));
    copy(PcsVectors.TCB_INFO_CHAIN, dir.resolve("tcb_info_issuer_chain.pem"));
    copy(PcsVectors.QE_IDENTITY, dir.resolve("qe_identity.json"));
    copy(PcsVectors.TCB_INFO_CHAIN, dir.resolve("qe_identity_issuer_chain.pem"));
    copy(PcsVectors.PCK_CRL, dir.resolve("pck_crl.der"));
    copy(PcsVectors.PCK_CRL_CHAIN, dir.resolve("pck_crl_issuer_chain.pem"));
    copy(PcsVectors.ROOT_CRL, dir.resolve("root_ca_crl.der"));
  }

  private static void copy(String resource, Path file) throws Exception {
    Files.write(file, PcsVectors.bytes(resource));
  }

  @BeforeEach
  void layout() throws Exception {
    writePcsLayout(dir);
  }

  @Test
  void collateralForWhenDirectoryHoldsPcsResponsesThenParsesAllDocuments() throws Exception {
    Collateral c = new DirectoryCollateralSource(dir).collateralFor(PcsVectors.FMSPC,
        PckCa.PLATFORM);

    assertThat(c.tcbInfo().value().fmspc()).isEqualTo(PcsVectors.FMSPC);
    assertThat(c.tcbInfo().value().tcbEvaluationDataNumber()).isEqualTo(15);
    assertThat(c.tcbInfo().signedBody().size()).isEqualTo(2245);
    PcsCollateralSourceTest.assertExactSignedSubstring(PcsVectors.TCB_INFO, "tcbInfo",
        c.tcbInfo());
    assertThat(c.qeIdentity().signedBody().size()).isEqualTo(461);
    PcsCollateralSourceTest.assertExactSignedSubstring(PcsVectors.QE_IDENTITY,
        "enclaveIdentity", c.qeIdentity());
    assertThat(PcsCollateralSourceTest.commonName(c.pckCrl().getIssuerX500Principal()))
        .isEqualTo("Intel SGX PCK Platform CA");
    assertThat(PcsCollateralSourceTest.commonName(c.rootCaCrl().getIssuerX500Principal()))
        .isEqualTo("Intel SGX Root CA");
    assertThat(PcsCollateralSourceTest.subjects(c.pckCrlIssuerChain()))
        .containsExactly("Intel SGX PCK Platform CA", "Intel SGX Root CA");
    assertThat(c.tcbInfoIssuerChain()).hasSize(2);
    assertThat(c.qeIdentityIssuerChain()).hasSize(2);
    assertThat(c.earliestExpiry()).isEqualTo(Instant.parse("2023-07-08T07:24:59Z"));
  }

  @Test
  void collateralForWhenFmspcSpecificTcbInfoExistsThenPrefersIt() throws Exception {
    copy(PcsVectors.TCB_INFO_V5, dir.resolve("tcb_info.json"));
    copy(PcsVectors.TCB_INFO, dir.resolve("tcb_info_50806f000000.json"));
    DirectoryCollateralSource source = new DirectoryCollateralSource(dir);

    assertThat(source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM).tcbInfo().value().fmspc())
        .isEqualTo(PcsVectors.FMSPC);
    Collateral other = source.collateralFor(PcsVectors.FMSPC_V5, PckCa.PLATFORM);
    assertThat(other.tcbInfo().value().fmspc()).isEqualTo(PcsVectors.FMSPC_V5);
    assertThat(other.tcbInfo().signedBody().size()).isEqualTo(4113);
  }

  @Test
  void collateralForWhenCaSpecificPckCrlExistsThenPrefersItForThatCa() throws Exception {
    // Generic files deliberately hold the root CRL / chain, to tell the two apart.
    copy(PcsVectors.ROOT_CRL, dir.resolve("pck_crl.der"));
    copy(PcsVectors.TCB_INFO_CHAIN, dir.resolve("pck_crl_issuer_chain.pem"));
    copy(PcsVectors.PCK_CRL, dir.resolve(DirectoryCollateralSource.pckCrlFileName(PckCa.PLATFORM)));
    copy(PcsVectors.PCK_CRL_CHAIN,
        dir.resolve(DirectoryCollateralSource.pckCrlIssuerChainFileName(PckCa.PLATFORM)));
    DirectoryCollateralSource source = new DirectoryCollateralSource(dir);

    Collateral platform = source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    assertThat(PcsCollateralSourceTest.commonName(platform.pckCrl().getIssuerX500Principal()))
        .isEqualTo("Intel SGX PCK Platform CA");
    assertThat(PcsCollateralSourceTest.subjects(platform.pckCrlIssuerChain()).get(0))
        .isEqualTo("Intel SGX PCK Platform CA");
    Collateral processor = source.collateralFor(PcsVectors.FMSPC, PckCa.PROCESSOR);
    assertThat(PcsCollateralSourceTest.commonName(processor.pckCrl().getIssuerX500Principal()))
        .isEqualTo("Intel SGX Root CA");
    assertThat(PcsCollateralSourceTest.subjects(processor.pckCrlIssuerChain()).get(0))
        .isEqualTo("Intel SGX TCB Signing");
  }

  @Test
  void collateralForWhenCrlsAreHexOrPemThenParsesThem() throws Exception {
    byte[] rootDer = PcsVectors.bytes(PcsVectors.ROOT_CRL);
    Files.writeString(dir.resolve("root_ca_crl.der"), HexFormat.of().formatHex(rootDer) + "\n");
    byte[] pckDer = PcsVectors.bytes(PcsVectors.PCK_CRL);
    Files.writeString(dir.resolve("pck_crl.der"), "-----BEGIN X509 CRL-----\n"
        + Base64.getMimeEncoder().encodeToString(pckDer) + "\n-----END X509 CRL-----\n");

    Collateral c = new DirectoryCollateralSource(dir).collateralFor(PcsVectors.FMSPC,
        PckCa.PLATFORM);
    assertThat(c.rootCaCrl().getEncoded()).isEqualTo(rootDer);
    assertThat(c.pckCrl().getEncoded()).isEqualTo(pckDer);
  }

  @Test
  void collateralForWhenFileMissingThenNotFoundNamingIt() throws Exception {
    Files.delete(dir.resolve("qe_identity.json"));
    assertThatThrownBy(() -> new DirectoryCollateralSource(dir)
        .collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessageContaining("qe_identity.json");
  }

  @Test
  void collateralForWhenFileMalformedThenMalformedNamingIt() throws Exception {
    Files.writeString(dir.resolve("tcb_info_issuer_chain.pem"), "not a certificate");
    assertThatThrownBy(() -> new DirectoryCollateralSource(dir)
        .collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("tcb_info_issuer_chain.pem")
        .hasMessageContaining("no PEM certificate found");
  }

  @Test
  void collateralForWhenFileExceedsSizeCapThenMalformed() throws Exception {
    Files.write(dir.resolve("root_ca_crl.der"),
        new byte[CollateralDocuments.MAX_DOCUMENT_SIZE + 1]);
    assertThatThrownBy(() -> new DirectoryCollateralSource(dir)
        .collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("root_ca_crl.der");
  }

  @Test
  void collateralForWhenSignedResponseHasDuplicateMemberThenMalformed() throws Exception {
    String body = PcsVectors.text(PcsVectors.QE_IDENTITY);
    String signed =
        body.substring("{\"enclaveIdentity\":".length(), body.indexOf(",\"signature\""));
    Files.writeString(dir.resolve("qe_identity.json"),
        body.replace(",\"signature\"", ",\"enclaveIdentity\":" + signed + ",\"signature\""),
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new DirectoryCollateralSource(dir)
        .collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void writeDirectoryWhenReadBackThenSignedBytesSignaturesCrlsAndChainsAreEqual()
      throws Exception {
    Collateral original = new DirectoryCollateralSource(dir).collateralFor(PcsVectors.FMSPC,
        PckCa.PLATFORM);
    Path copy = dir.resolve("copy");
    CollateralFiles.writeDirectory(copy, original);

    Collateral back = new DirectoryCollateralSource(copy).collateralFor(PcsVectors.FMSPC,
        PckCa.PLATFORM);
    assertThat(back).isEqualTo(original);
    assertThat(Files.readAllBytes(copy.resolve("qe_identity.json")))
        .isEqualTo(PcsVectors.bytes(PcsVectors.QE_IDENTITY));
  }
}
