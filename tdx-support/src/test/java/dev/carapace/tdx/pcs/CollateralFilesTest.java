package dev.carapace.tdx.pcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollateralFilesTest {
  private static final Bytes DCAP_QVL_FMSPC = Bytes.fromHex("b0c06f000000");

  @TempDir
  Path dir;

  private Path bundleFile() throws Exception {
    Path file = dir.resolve("collateral.json");
    Files.write(file, PcsVectors.bytes(PcsVectors.DCAP_QVL_BUNDLE));
    return file;
  }

  @Test
  void loadWhenDirectoryThenReturnsDirectorySource() throws Exception {
    DirectoryCollateralSourceTest.writePcsLayout(dir);
    CollateralSource source = CollateralFiles.load(dir);
    assertThat(source).isInstanceOf(DirectoryCollateralSource.class);
    assertThat(source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM).tcbInfo().value()
        .tcbEvaluationDataNumber()).isEqualTo(15);
  }

  @Test
  void loadWhenQuoteCollateralV3FileThenServesItsDocumentsForAnyFmspc() throws Exception {
    CollateralSource source = CollateralFiles.load(bundleFile());
    Collateral c = source.collateralFor(DCAP_QVL_FMSPC, PckCa.PLATFORM);

    assertThat(source).isInstanceOf(StaticCollateralSource.class);
    assertThat(c.tcbInfo().value().fmspc()).isEqualTo(DCAP_QVL_FMSPC);
    assertThat(c.tcbInfo().value().tcbEvaluationDataNumber()).isEqualTo(17);
    assertThat(c.qeIdentity().value().id()).isEqualTo("TD_QE");
    assertThat(c.qeIdentity().signedBody().size()).isEqualTo(461);
    assertThat(PcsCollateralSourceTest.subjects(c.tcbInfoIssuerChain()))
        .containsExactly("Intel SGX TCB Signing", "Intel SGX Root CA");
    // The renewed TCB signing certificate (2025-05-06 .. 2032-05-06).
    assertThat(c.tcbInfoIssuerChain().get(0).getNotAfter().toInstant())
        .isAfter(Instant.parse("2032-01-01T00:00:00Z"));
    assertThat(PcsCollateralSourceTest.commonName(c.pckCrl().getIssuerX500Principal()))
        .isEqualTo("Intel SGX PCK Platform CA");
    assertThat(source.collateralFor(PcsVectors.FMSPC, PckCa.PROCESSOR)).isSameAs(c);

    JsonNode json = new ObjectMapper().readTree(PcsVectors.bytes(PcsVectors.DCAP_QVL_BUNDLE));
    assertThat(new String(c.tcbInfo().signedBody().toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo(json.get("tcb_info").asText());
    assertThat(c.tcbInfo().signature().toHex()).isEqualTo(json.get("tcb_info_signature").asText());
  }

  @Test
  void encodeWhenBundleParsedThenParsesBackToEqualCollateral() throws Exception {
    Collateral parsed = QuoteCollateralV3.parse(PcsVectors.bytes(PcsVectors.DCAP_QVL_BUNDLE));
    Collateral again = QuoteCollateralV3.parse(QuoteCollateralV3.encode(parsed));

    assertThat(again.tcbInfo().signedBody()).isEqualTo(parsed.tcbInfo().signedBody());
    assertThat(again.tcbInfo().signature()).isEqualTo(parsed.tcbInfo().signature());
    assertThat(again.qeIdentity().signedBody()).isEqualTo(parsed.qeIdentity().signedBody());
    assertThat(again.qeIdentity().signature()).isEqualTo(parsed.qeIdentity().signature());
    assertThat(again).isEqualTo(parsed);
  }

  @Test
  void encodeWhenCollateralCameFromPcsResponsesThenBundleKeepsSignedBytes() throws Exception {
    DirectoryCollateralSourceTest.writePcsLayout(dir);
    Collateral fromPcs = new DirectoryCollateralSource(dir).collateralFor(PcsVectors.FMSPC,
        PckCa.PLATFORM);
    Path file = dir.resolve("bundle.json");
    Files.write(file, QuoteCollateralV3.encode(fromPcs));

    assertThat(CollateralFiles.load(file).collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM))
        .isEqualTo(fromPcs);
  }

  @Test
  void loadWhenPathMissingThenNotFound() {
    assertThatThrownBy(() -> CollateralFiles.load(dir.resolve("nope.json")))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessageContaining("nope.json");
  }

  @Test
  void loadWhenFileIsNotABundleThenMalformedNamingIt() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"pck_crl_issuer_chain\": 1}");
    assertThatThrownBy(() -> CollateralFiles.load(file))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("broken.json")
        .hasMessageContaining("pck_crl_issuer_chain");
  }

  @Test
  void loadWhenFileExceedsSizeCapThenMalformed() throws Exception {
    Path file = dir.resolve("huge.json");
    Files.write(file, new byte[CollateralDocuments.MAX_DOCUMENT_SIZE + 1]);
    assertThatThrownBy(() -> CollateralFiles.load(file))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }
}
