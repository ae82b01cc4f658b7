package dev.carapace.tdx.verify;

import dev.carapace.tdx.Vectors;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.QeIdentity;
import dev.carapace.tdx.pcs.QuoteCollateralV3;
import dev.carapace.tdx.pcs.Signed;
import dev.carapace.tdx.pcs.TcbInfo;
import java.security.Provider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Collateral sets built from the real vectors, and verifiers with pinned clocks. */
final class TestCollateral {
  static final Provider BC = new BouncyCastleProvider();
  static final Instant GTG_TIME = Instant.parse("2023-07-01T01:00:00Z");

  private TestCollateral() {}

  static QuoteVerifier verifierAt(Instant t) {
    return new QuoteVerifier(TrustAnchors.intel(), Clock.fixed(t, ZoneOffset.UTC), BC);
  }

  /** go-tdx-guest's recorded PCS responses for FMSPC 50806f000000. */
  static Collateral goTdxGuest() throws CollateralException {
    String tcbChain = Vectors.text("go-tdx-guest/tcb_info_issuer_chain.pem");
    return new Collateral(
        CollateralDocuments.parseCertificateChain(Vectors.text("go-tdx-guest/pck_crl_issuer_chain.pem")),
        CollateralDocuments.parseCrl(Vectors.read("go-tdx-guest/rootcrl.der")),
        CollateralDocuments.parseCrl(Vectors.read("go-tdx-guest/pckcrl")),
        CollateralDocuments.parseCertificateChain(tcbChain),
        CollateralDocuments.parseTcbInfoResponse(Vectors.read("go-tdx-guest/sample_tcbInfo_response")),
        CollateralDocuments.parseCertificateChain(tcbChain),
        CollateralDocuments.parseQeIdentityResponse(
            Vectors.read("go-tdx-guest/sample_qeIdentity_response")));
  }

  static Collateral dcapQvl(String name) throws CollateralException {
    return QuoteCollateralV3.parse(Vectors.read("dcap-qvl/" + name));
  }

  static Collateral withTcbInfo(Collateral c, TcbInfo info) {
    return new Collateral(c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(),
        c.tcbInfoIssuerChain(),
        new Signed<>(info, c.tcbInfo().signedBody(), c.tcbInfo().signature()),
        c.qeIdentityIssuerChain(), c.qeIdentity());
  }

  static Collateral withQeIdentity(Collateral c, QeIdentity id) {
    return new Collateral(c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(),
        c.tcbInfoIssuerChain(), c.tcbInfo(), c.qeIdentityIssuerChain(),
        new Signed<>(id, c.qeIdentity().signedBody(), c.qeIdentity().signature()));
  }

  /**
   * Treats edited collateral as if its signatures had verified, the way go-tdx-guest's tests edit
   * parsed TCB Info: reuses the issuer certificates of the real, verified collateral.
   */
  static VerifiedCollateral trustedEdit(QuoteVerifier verifier, Collateral real, Collateral edited)
      throws QuoteVerificationException {
    VerifiedCollateral v = verifier.verifyCollateral(real);
    return new VerifiedCollateral(edited, v.tcbSigningCert(), v.qeIdentitySigningCert(),
        v.pckCrlIssuer(), v.root(), verifier.anchors());
  }
}
