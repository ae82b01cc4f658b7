package dev.carapace.tdx.verify;

import dev.carapace.tdx.pcs.Collateral;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * Collateral whose signatures have been checked against the verifier's trust anchors: TCB Info
 * and QE Identity by the TCB signing certificate, the root CRL by the root, the PCK CRL by its
 * CA. Validity dates are not part of this check; {@link QuoteVerifier} applies them at each
 * verification, so a {@code VerifiedCollateral} may be cached and reused until
 * {@link #earliestExpiry()}. Only {@link QuoteVerifier} creates instances. Immutable.
 */
public final class VerifiedCollateral {
  private final Collateral collateral;
  private final X509Certificate tcbSigningCert;
  private final X509Certificate qeIdentitySigningCert;
  private final X509Certificate pckCrlIssuer;
  private final X509Certificate root;
  private final TrustAnchors anchors;

  VerifiedCollateral(Collateral collateral, X509Certificate tcbSigningCert,
      X509Certificate qeIdentitySigningCert, X509Certificate pckCrlIssuer, X509Certificate root,
      TrustAnchors anchors) {
    this.collateral = Objects.requireNonNull(collateral, "collateral");
    this.tcbSigningCert = Objects.requireNonNull(tcbSigningCert, "tcbSigningCert");
    this.qeIdentitySigningCert =
        Objects.requireNonNull(qeIdentitySigningCert, "qeIdentitySigningCert");
    this.pckCrlIssuer = Objects.requireNonNull(pckCrlIssuer, "pckCrlIssuer");
    this.root = Objects.requireNonNull(root, "root");
    this.anchors = Objects.requireNonNull(anchors, "anchors");
  }

  public Collateral collateral() {
    return collateral;
  }

  public Instant earliestExpiry() {
    return collateral.earliestExpiry();
  }

  X509Certificate tcbSigningCert() {
    return tcbSigningCert;
  }

  X509Certificate qeIdentitySigningCert() {
    return qeIdentitySigningCert;
  }

  X509Certificate pckCrlIssuer() {
    return pckCrlIssuer;
  }

  /** The trust anchor every issuer chain of this collateral ends in. */
  X509Certificate root() {
    return root;
  }

  TrustAnchors anchors() {
    return anchors;
  }
}
