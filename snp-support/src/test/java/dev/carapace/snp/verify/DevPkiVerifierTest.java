package dev.carapace.snp.verify;

import static dev.carapace.snp.verify.ReportVerifierVectorsTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.report.ReportVectors;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.DevPki.LeafSpec;
import dev.carapace.snp.verify.ReportVerificationException.Reason;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

/** Synthetic chains and reports signed by a development PKI shaped like AMD's. */
class DevPkiVerifierTest {
  static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
  static final byte[] CHIP = chip(64);
  static final byte[] TURIN_CHIP = Arrays.copyOf(chip(8), 64);

  static byte[] chip(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (0xA0 + i);
    }
    return b;
  }

  static ReportVerifier verifier(TrustedRoots roots, Instant t) {
    return new ReportVerifier(roots, Clock.fixed(t, ZoneOffset.UTC), DevPki.BC);
  }

  /** A golden report re-targeted at {@code tcb} and {@code chipId}, signed by {@code spec.key}. */
  static AttestationReport report(String base, TcbVersion tcb, byte[] chipId, SigningKey signer,
      LeafSpec spec) throws Exception {
    byte[] raw = ReportVectors.named(base).report();
    for (int off : new int[] {0x38, 0x180, 0x1E0, 0x1F0}) {
      put64(raw, off, tcb.raw());
    }
    System.arraycopy(chipId, 0, raw, 0x1A0, 64);
    raw[0x48] = (byte) (signer.code() << 2);
    return ReportParser.parse(DevPki.sign(raw, spec.key.getPrivate()));
  }

  static void put64(byte[] raw, int off, long v) {
    for (int i = 0; i < 8; i++) {
      raw[off + i] = (byte) (v >>> (8 * i));
    }
  }

  static final TcbVersion MILAN_TCB = TcbVersion.of(Product.MILAN, 3, 0, 8, 115, 0);

  @Test
  void verifyWhenDevelopmentChainConfiguredThenVerifiedButNotAmdRoot() throws Exception {
    DevPki pki = DevPki.of(Product.MILAN);
    LeafSpec spec = pki.vcek(CHIP);
    X509Certificate vcek = DevPki.issue(spec);
    AttestationReport r = report("msft_milan_v3", MILAN_TCB, CHIP, SigningKey.VCEK, spec);
    VerifiedReport v = verifier(pki.trusted(), NOW).verify(r, vcek);
    assertThat(v.amdRoot()).isFalse();
    assertThat(v.certifiedTcb()).isEqualTo(MILAN_TCB);
    // AMD's roots alone never accept it: the development ASK is not AMD's.
    assertReason(() -> verifier(TrustedRoots.amd(), NOW).verify(r, vcek),
        Reason.CERTIFICATE_SIGNATURE_INVALID);
  }

  @Test
  void verifyWhenTurinV3AndV2ReportsThenTurinLayoutAndHwIdPrefix() throws Exception {
    DevPki pki = DevPki.of(Product.TURIN);
    LeafSpec spec = pki.vcek(Arrays.copyOf(TURIN_CHIP, 8));
    X509Certificate vcek = DevPki.issue(spec);
    TcbVersion tcb = TcbVersion.of(Product.TURIN, 3, 0, 8, 115, 2);
    AttestationReport v5 = report("msft_turin_v5", tcb, TURIN_CHIP, SigningKey.VCEK, spec);
    assertThat(verifier(pki.trusted(), NOW).verify(v5, vcek).certifiedTcb()).isEqualTo(tcb);

    AttestationReport v2 = report("virtee_milan_v2", tcb, TURIN_CHIP, SigningKey.VCEK, spec);
    assertThat(v2.product()).isEqualTo(Product.TURIN); // CHIP_ID shape
    assertThat(verifier(pki.trusted(), NOW).verify(v2, vcek).product()).isEqualTo(Product.TURIN);

    byte[] longChip = TURIN_CHIP.clone();
    longChip[40] = 1; // bytes 8..63 must be zero on Turin
    AttestationReport bad = report("msft_turin_v5", tcb, longChip, SigningKey.VCEK, spec);
    assertReason(() -> verifier(pki.trusted(), NOW).verify(bad, vcek), Reason.CHIP_ID_MISMATCH);
  }

  @Test
  void verifyWhenReservedSplsSetThenComposedIntoCertifiedTcb() throws Exception {
    DevPki pki = DevPki.of(Product.MILAN);
    LeafSpec spec = pki.vcek(CHIP);
    spec.spl4 = 7;
    X509Certificate vcek = DevPki.issue(spec);
    TcbVersion withSpl4 = TcbVersion.decode(Product.MILAN, MILAN_TCB.raw() | 7L << 16);
    AttestationReport r = report("msft_milan_v3", withSpl4, CHIP, SigningKey.VCEK, spec);
    assertThat(verifier(pki.trusted(), NOW).verify(r, vcek).certifiedTcb()).isEqualTo(withSpl4);
    AttestationReport plain = report("msft_milan_v3", MILAN_TCB, CHIP, SigningKey.VCEK, spec);
    assertReason(() -> verifier(pki.trusted(), NOW).verify(plain, vcek), Reason.TCB_MISMATCH);
  }

  @Test
  void verifyWhenCrlGivenThenCheckedForAskAndAsvk() throws Exception {
    DevPki pki = DevPki.of(Product.MILAN);
    LeafSpec spec = pki.vcek(CHIP);
    X509Certificate vcek = DevPki.issue(spec);
    AttestationReport r = report("msft_milan_v3", MILAN_TCB, CHIP, SigningKey.VCEK, spec);
    ReportVerifier verifier = verifier(pki.trusted(), NOW);
    Instant from = NOW.minusSeconds(86400);
    Instant to = NOW.plusSeconds(86400);
    X509CRL clean = pki.crl(pki.arkKey.getPrivate(), DevPki.PSS, from, to, BigInteger.TEN);
    assertThat(verifier.verify(r, vcek, clean).revocationChecked()).isTrue();
    X509CRL revoking = pki.crl(pki.arkKey.getPrivate(), DevPki.PSS, from, to,
        pki.ask.getSerialNumber());
    assertReason(() -> verifier.verify(r, vcek, revoking), Reason.CERTIFICATE_REVOKED);
    X509CRL forged = pki.crl(pki.askKey.getPrivate(), DevPki.PSS, from, to);
    assertReason(() -> verifier.verify(r, vcek, forged), Reason.CRL_INVALID);
    X509CRL pkcs1 = pki.crl(pki.arkKey.getPrivate(), "SHA384withRSA", from, to);
    assertReason(() -> verifier.verify(r, vcek, pkcs1), Reason.CRL_INVALID);
    X509CRL stale = pki.crl(pki.arkKey.getPrivate(), DevPki.PSS, from.minusSeconds(9000),
        from, BigInteger.TEN);
    assertReason(() -> verifier.verify(r, vcek, stale), Reason.CRL_EXPIRED);
    X509CRL otherIssuer = DevPki.of(Product.GENOA).crl(
        DevPki.of(Product.GENOA).arkKey.getPrivate(), DevPki.PSS, from, to);
    assertReason(() -> verifier.verify(r, vcek, otherIssuer), Reason.CRL_INVALID);
    assertThat(verifier.parseCrl(clean.getEncoded())).isEqualTo(clean);

    LeafSpec vlekSpec = pki.vlek("CN=csp.example");
    X509Certificate vlek = DevPki.issue(vlekSpec);
    AttestationReport vr = report("msft_milan_v3", MILAN_TCB, new byte[64], SigningKey.VLEK,
        vlekSpec);
    assertThat(verifier.verify(vr, vlek, revoking).signingKey()).isEqualTo(SigningKey.VLEK);
    X509CRL revokingAsvk = pki.crl(pki.arkKey.getPrivate(), DevPki.PSS, from, to,
        pki.asvk.getSerialNumber());
    assertReason(() -> verifier.verify(vr, vlek, revokingAsvk), Reason.CERTIFICATE_REVOKED);
  }

  @Test
  void verifyWhenLeafBreaksAmdProfileThenTypedReason() throws Exception {
    DevPki pki = DevPki.of(Product.MILAN);
    ReportVerifier verifier = verifier(pki.trusted(), NOW);
    assertLeaf(verifier, pki, s -> s.key = DevPki.ec("secp256r1"), Reason.CERTIFICATE_MALFORMED);
    assertLeaf(verifier, pki, s -> s.sigAlg = "SHA384withRSA", Reason.CERTIFICATE_MALFORMED);
    assertLeaf(verifier, pki, s -> s.ca = true, Reason.CERTIFICATE_MALFORMED);
    assertLeaf(verifier, pki, s -> s.cn = "SEV-XCEK", Reason.CERTIFICATE_NAME_INVALID);
    assertLeaf(verifier, pki, s -> s.issuer = DevPki.amdName("SEV-Milan", "Evil Corp"),
        Reason.CERTIFICATE_NAME_INVALID);
    assertLeaf(verifier, pki, s -> s.issuer = DevPki.amdName("SEV-Genoa"),
        Reason.CERTIFICATE_NAME_INVALID);
    assertLeaf(verifier, pki, s -> s.signer = pki.arkKey.getPrivate(),
        Reason.CERTIFICATE_SIGNATURE_INVALID);
    assertLeaf(verifier, pki, s -> s.notAfter = NOW.minusSeconds(1), Reason.CERTIFICATE_EXPIRED);
    assertLeaf(verifier, pki, s -> s.productName = "Venice", Reason.UNKNOWN_PRODUCT);
    assertLeaf(verifier, pki, s -> s.structVersion = 1, Reason.EXTENSIONS_MALFORMED);
    assertLeaf(verifier, pki, s -> s.fmc = 1, Reason.EXTENSIONS_MALFORMED);
    assertLeaf(verifier, pki, s -> s.hwId = chip(8), Reason.EXTENSIONS_MALFORMED);
    assertLeaf(verifier, pki, s -> s.ucode = 256, Reason.EXTENSIONS_MALFORMED);
    assertLeaf(verifier, pki, s -> {
      s.hwId = null;
      s.cspId = "CN=csp";
    }, Reason.EXTENSIONS_MALFORMED); // CN says VCEK, extensions say VLEK
    assertLeaf(verifier, pki, s -> s.snp = 9, Reason.TCB_MISMATCH);
    assertLeaf(verifier, pki, s -> s.hwId = chip(64).clone(), null);
  }

  @Test
  void verifyWhenReportSignerDisagreesThenTypedReason() throws Exception {
    DevPki pki = DevPki.of(Product.MILAN);
    LeafSpec spec = pki.vcek(CHIP);
    X509Certificate vcek = DevPki.issue(spec);
    ReportVerifier verifier = verifier(pki.trusted(), NOW);
    AttestationReport unsigned = report("msft_milan_v3", MILAN_TCB, CHIP, SigningKey.NONE, spec);
    assertReason(() -> verifier.verify(unsigned, vcek), Reason.UNSUPPORTED_SIGNING_KEY);
    AttestationReport saysVlek = report("msft_milan_v3", MILAN_TCB, CHIP, SigningKey.VLEK, spec);
    assertReason(() -> verifier.verify(saysVlek, vcek), Reason.SIGNER_MISMATCH);
    AttestationReport genoaCpuid = report("msft_genoa_v3", MILAN_TCB, CHIP, SigningKey.VCEK, spec);
    assertReason(() -> verifier.verify(genoaCpuid, vcek), Reason.PRODUCT_MISMATCH);
    AttestationReport otherKey = report("msft_milan_v3", MILAN_TCB, CHIP, SigningKey.VCEK,
        pki.vcek(CHIP));
    assertReason(() -> verifier.verify(otherKey, vcek), Reason.SIGNATURE_INVALID);
  }

  @Test
  void verifyWhenRootsBreakAmdProfileThenTypedReason() throws Exception {
    DevPki pki = DevPki.of(Product.MILAN);
    LeafSpec spec = pki.vcek(CHIP);
    X509Certificate vcek = DevPki.issue(spec);
    AttestationReport r = report("msft_milan_v3", MILAN_TCB, CHIP, SigningKey.VCEK, spec);
    X500Name arkName = DevPki.amdName("ARK-Milan");
    X509Certificate wrongCrl = DevPki.ca(arkName, pki.arkKey.getPublic(), arkName,
        pki.arkKey.getPrivate(), 1, "https://kdsintf.amd.com/vcek/v1/Genoa/crl", DevPki.PSS);
    assertRoots(new ProductRoots(Product.MILAN, wrongCrl, pki.ask, pki.asvk), r, vcek,
        Reason.CERTIFICATE_NAME_INVALID);
    X509Certificate selfAsk = DevPki.ca(DevPki.amdName("SEV-Milan"), pki.askKey.getPublic(),
        arkName, pki.askKey.getPrivate(), 2, "https://kdsintf.amd.com/vcek/v1/Milan/crl",
        DevPki.PSS);
    assertRoots(new ProductRoots(Product.MILAN, pki.ark, selfAsk, pki.asvk), r, vcek,
        Reason.CERTIFICATE_SIGNATURE_INVALID);
    X509Certificate pkcs1Ark = DevPki.ca(arkName, pki.arkKey.getPublic(), arkName,
        pki.arkKey.getPrivate(), 3, "https://kdsintf.amd.com/vcek/v1/Milan/crl",
        "SHA384withRSA");
    assertRoots(new ProductRoots(Product.MILAN, pkcs1Ark, pki.ask, pki.asvk), r, vcek,
        Reason.CERTIFICATE_MALFORMED);
    assertRoots(new ProductRoots(Product.MILAN, pki.ark, pki.ark, null), r, vcek,
        Reason.CERTIFICATE_NAME_INVALID);

    LeafSpec vlekSpec = pki.vlek("CN=csp.example");
    AttestationReport vr = report("msft_milan_v3", MILAN_TCB, new byte[64], SigningKey.VLEK,
        vlekSpec);
    assertRoots(new ProductRoots(Product.MILAN, pki.ark, pki.ask, null), vr,
        DevPki.issue(vlekSpec), Reason.UNTRUSTED_ROOT);
  }

  interface SpecChange {
    void apply(LeafSpec s) throws Exception;
  }

  private static void assertLeaf(ReportVerifier verifier, DevPki pki, SpecChange change,
      Reason reason) throws Exception {
    LeafSpec spec = pki.vcek(CHIP);
    change.apply(spec);
    X509Certificate vcek = DevPki.issue(spec);
    AttestationReport r = report("msft_milan_v3", MILAN_TCB, CHIP, SigningKey.VCEK, spec);
    if (reason == null) {
      assertThat(verifier.verify(r, vcek)).isNotNull();
    } else {
      assertReason(() -> verifier.verify(r, vcek), reason);
    }
  }

  private static void assertRoots(ProductRoots roots, AttestationReport r, X509Certificate leaf,
      Reason reason) {
    assertReason(() -> verifier(TrustedRoots.of(List.of(roots)), NOW).verify(r, leaf), reason);
  }
}
