package dev.carapace.snp.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportVectors;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrustedRootsTest {

  @ParameterizedTest
  @EnumSource(Product.class)
  void amdWhenLoadedThenEqualsKdsChainsAndTrusteeBundles(Product p) throws Exception {
    ProductRoots roots = TrustedRoots.amd().forProduct(p).orElseThrow();
    String name = p.kdsName().toLowerCase(Locale.ROOT);
    List<X509Certificate> vcekChain =
        ReportVectors.certificates("report-amd-certs/" + name + "_vcek_cert_chain.pem");
    List<X509Certificate> vlekChain =
        ReportVectors.certificates("report-amd-certs/" + name + "_vlek_cert_chain.pem");
    List<X509Certificate> trustee =
        ReportVectors.certificates("report-trustee/amd-root-certs/" + name + "_ask_ark_asvk.pem");
    assertThat(vcekChain).containsExactly(roots.ask(), roots.ark());
    assertThat(vlekChain).containsExactly(roots.asvk(), roots.ark());
    assertThat(trustee).containsExactly(roots.ask(), roots.ark(), roots.asvk());
    assertThat(TrustedRoots.isAmdArk(roots.ark())).isTrue();
    assertThat(TrustedRoots.isAmdArk(roots.ask())).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Product.class)
  void amdWhenCheckedThenArkSelfSignedAndSignsAskAndAsvk(Product p) throws Exception {
    ProductRoots r = TrustedRoots.amd().forProduct(p).orElseThrow();
    AmdCertificates.requireSignedBy(r.ark(), r.ark().getPublicKey(), DevPki.BC, "ARK");
    AmdCertificates.requireSignedBy(r.ask(), r.ark().getPublicKey(), DevPki.BC, "ASK");
    AmdCertificates.requireSignedBy(r.asvk(), r.ark().getPublicKey(), DevPki.BC, "ASVK");
    AmdCertificates.requireCa(r.ark(), r.vcekCrlUrl(), "ARK");
    AmdCertificates.requireCa(r.ask(), r.vcekCrlUrl(), "ASK");
    AmdCertificates.requireCa(r.asvk(), r.vlekCrlUrl(), "ASVK");
    AmdCertificates.requireAmdName(r.ask().getSubjectX500Principal(), "SEV-" + p.kdsName(), "ASK");
    ReportVerifierVectorsTest.assertReason(() -> AmdCertificates.requireSignedBy(r.ask(),
        r.ask().getPublicKey(), DevPki.BC, "ASK"),
        ReportVerificationException.Reason.CERTIFICATE_SIGNATURE_INVALID);
  }

  @Test
  void ofWhenExplicitRootsThenOnlyThoseProducts() {
    ProductRoots genoa = TrustedRoots.amd().forProduct(Product.GENOA).orElseThrow();
    TrustedRoots roots = TrustedRoots.of(List.of(genoa));
    assertThat(roots.products()).containsExactly(Product.GENOA);
    assertThat(roots.forProduct(Product.MILAN)).isEmpty();
    assertThat(TrustedRoots.amd().products()).containsExactlyInAnyOrder(Product.values());
    assertThatThrownBy(() -> TrustedRoots.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedRoots.of(List.of(genoa, genoa)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(genoa.vlekCrlUrl()).isEqualTo("https://kdsintf.amd.com/vlek/v1/Genoa/crl");
  }
}
