package dev.carapace.tdx.verify;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.CollateralSource;
import dev.carapace.tdx.pcs.EnclaveTcbLevel;
import dev.carapace.tdx.pcs.Signed;
import dev.carapace.tdx.quote.EnclaveReportBody;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteEncoder;
import dev.carapace.tdx.quote.QuoteHeader;
import dev.carapace.tdx.quote.QuoteSignatureData;
import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies TDX quotes the way Intel's Quote Verification Library does: PCK chain to a trust
 * anchor, CRLs, PCK SGX extensions, QE report signature and report-data binding, quote signature,
 * TCB Info v3 and QE Identity v2 (signatures, validity, TCB level matching, TDX module identity).
 *
 * <p>Every failure is a {@link QuoteVerificationException} with a {@link Reason}. The time comes
 * from the injected {@link Clock}; signatures are checked with the injected JCA provider
 * (BouncyCastle); the trust anchors are only those passed in. The verifier never fetches
 * anything by itself: collateral comes from the caller or a {@link CollateralSource} it passes.
 *
 * <p>Thread-safe. Caches, all keyed by exact bytes and bounded: validated PCK chains (signatures
 * and names only; validity dates and revocation are checked on every call), QE reports verified
 * under a PCK key, and decoded attestation keys. The quote signature is checked on every call.
 */
public final class QuoteVerifier {
  private static final int CHAIN_CACHE_LIMIT = 1024;

  private final TrustAnchors anchors;
  private final Clock clock;
  private final Provider provider;
  private final EcdsaP256 ecdsa;
  private final Map<Bytes, PckChain> chainCache = new ConcurrentHashMap<>();
  private final Map<Bytes, PublicKey> attestationKeys = new ConcurrentHashMap<>();
  private volatile CachedCollateral lastCollateral;

  private record CachedCollateral(Collateral collateral, VerifiedCollateral verified) {}

  public QuoteVerifier(TrustAnchors anchors, Clock clock, Provider provider) {
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.ecdsa = new EcdsaP256(provider);
  }

  public TrustAnchors anchors() {
    return anchors;
  }

  /** Full verification with collateral obtained from {@code source} for this quote's platform. */
  public VerifiedQuote verify(Quote quote, CollateralSource source)
      throws QuoteVerificationException {
    return verify(verifySignatures(quote), source);
  }

  /**
   * Completes a verification begun with {@link #verifySignatures}: collateral for the signatures'
   * platform from {@code source}, then every check that needs it. The signatures are not checked
   * again.
   */
  public VerifiedQuote verify(VerifiedSignatures sigs, CollateralSource source)
      throws QuoteVerificationException {
    Collateral collateral;
    try {
      collateral = source.collateralFor(sigs.pckExtensions().fmspc(), sigs.pckCa());
    } catch (CollateralException e) {
      throw new QuoteVerificationException(
          Reason.COLLATERAL_UNAVAILABLE, "no collateral: " + e.getMessage(), e);
    }
    return verify(sigs, cachedVerifyCollateral(collateral));
  }

  /** Full verification with the given collateral. */
  public VerifiedQuote verify(Quote quote, Collateral collateral)
      throws QuoteVerificationException {
    return verify(verifySignatures(quote), cachedVerifyCollateral(collateral));
  }

  /** Full verification with collateral verified earlier by this verifier (fast path). */
  public VerifiedQuote verify(Quote quote, VerifiedCollateral collateral)
      throws QuoteVerificationException {
    return verify(verifySignatures(quote), collateral);
  }

  /**
   * Checks the PCK chain, QE report and quote signatures only; see {@link VerifiedSignatures} for
   * what this does not establish.
   */
  public VerifiedSignatures verifySignatures(Quote quote) throws QuoteVerificationException {
    Instant now = clock.instant();
    QuoteHeader header = quote.header();
    if (!header.qeVendorId().equals(QuoteHeader.INTEL_QE_VENDOR_ID)) {
      throw new QuoteVerificationException(Reason.UNSUPPORTED_QE_VENDOR,
          "QE vendor ID " + header.qeVendorId() + " is not Intel's");
    }
    QuoteSignatureData sig = quote.signatureData();
    PckChain chain = pckChain(sig.certification().pckCertificationData().data());
    Certificates.requireValidAt(chain.root(), now, "root CA certificate");
    Certificates.requireValidAt(chain.intermediate(), now, "PCK CA certificate");
    Certificates.requireValidAt(chain.leaf(), now, "PCK certificate");

    EnclaveReportBody qeReport = sig.certification().qeReport();
    byte[] qeReportBytes = QuoteEncoder.encodeEnclaveReport(qeReport);
    Bytes qeReportAndSignature = concat(qeReportBytes, sig.certification().qeReportSignature());
    if (!chain.isVerifiedQeReport(qeReportAndSignature)) {
      if (!ecdsa.verify(chain.leafKey(), qeReportBytes, sig.certification().qeReportSignature())) {
        throw new QuoteVerificationException(Reason.QE_REPORT_SIGNATURE_INVALID,
            "QE report signature by the PCK key does not verify");
      }
      chain.rememberVerifiedQeReport(qeReportAndSignature);
    }
    byte[] expected = new byte[64];
    sha256(sig.attestationKey(), sig.certification().qeAuthData(), expected);
    if (!MessageDigest.isEqual(expected, qeReport.reportData().toByteArray())) {
      throw new QuoteVerificationException(Reason.QE_REPORT_DATA_MISMATCH,
          "QE report data is not SHA-256(attestation key || QE auth data) || 32 zero bytes");
    }
    PublicKey attestationKey = attestationKey(sig.attestationKey());
    if (!ecdsa.verify(attestationKey, QuoteEncoder.signedRegion(quote), sig.quoteSignature())) {
      throw new QuoteVerificationException(
          Reason.QUOTE_SIGNATURE_INVALID, "quote signature by the attestation key does not verify");
    }
    return new VerifiedSignatures(quote, chain, now);
  }

  /**
   * Checks every signature in {@code collateral} against this verifier's trust anchors. The
   * result can be reused for many quotes until {@link VerifiedCollateral#earliestExpiry()}.
   */
  public VerifiedCollateral verifyCollateral(Collateral c) throws QuoteVerificationException {
    X509Certificate tcbSigner = signingCert(c.tcbInfoIssuerChain(), "TCB Info issuer chain");
    X509Certificate qeSigner = signingCert(c.qeIdentityIssuerChain(), "QE Identity issuer chain");
    verifyDocument(c.tcbInfo(), tcbSigner, Reason.TCB_INFO_SIGNATURE_INVALID, "TCB Info");
    verifyDocument(c.qeIdentity(), qeSigner, Reason.QE_IDENTITY_SIGNATURE_INVALID, "QE Identity");

    List<X509Certificate> pckCrlChain = c.pckCrlIssuerChain();
    if (pckCrlChain.size() != 2) {
      throw new QuoteVerificationException(Reason.COLLATERAL_CHAIN_MALFORMED,
          "PCK CRL issuer chain must hold 2 certificates (PCK CA, root), found "
              + pckCrlChain.size());
    }
    X509Certificate pckCa = pckCrlChain.get(0);
    X509Certificate root = pckCrlChain.get(1);
    requireAnchoredRoot(root, "PCK CRL issuer chain");
    Certificates.requireSignedBy(pckCa, root, provider, "PCK CA certificate");
    Certificates.requireCrlSignedBy(c.pckCrl(), pckCa, provider, "PCK CRL");
    Certificates.requireCrlSignedBy(c.rootCaCrl(), root, provider, "root CA CRL");
    if (!c.tcbInfoIssuerChain().get(1).equals(root)
        || !c.qeIdentityIssuerChain().get(1).equals(root)) {
      throw new QuoteVerificationException(Reason.UNTRUSTED_ROOT,
          "collateral issuer chains end in different roots");
    }
    return new VerifiedCollateral(c, tcbSigner, qeSigner, pckCa, root, anchors);
  }

  /**
   * Completes a verification begun with {@link #verifySignatures} with collateral verified
   * earlier by this verifier. The signatures are not checked again.
   */
  public VerifiedQuote verify(VerifiedSignatures sigs, VerifiedCollateral vc)
      throws QuoteVerificationException {
    if (vc.anchors() != anchors) {
      throw new IllegalArgumentException("collateral was verified by a verifier with other anchors");
    }
    Instant now = sigs.checkedAt();
    Collateral c = vc.collateral();
    PckChain chain = sigs.chain();

    Certificates.requireValidAt(vc.tcbSigningCert(), now, "TCB signing certificate");
    Certificates.requireValidAt(vc.qeIdentitySigningCert(), now, "QE Identity signing certificate");
    Certificates.requireValidAt(vc.pckCrlIssuer(), now, "PCK CRL issuer certificate");
    Certificates.requireCrlCurrent(c.rootCaCrl(), now, "root CA CRL");
    Certificates.requireCrlCurrent(c.pckCrl(), now, "PCK CRL");
    requireCurrent(c.tcbInfo().value().issueDate(), c.tcbInfo().value().nextUpdate(), now,
        Reason.TCB_INFO_EXPIRED, "TCB Info");
    requireCurrent(c.qeIdentity().value().issueDate(), c.qeIdentity().value().nextUpdate(), now,
        Reason.QE_IDENTITY_EXPIRED, "QE Identity");

    if (!vc.root().equals(chain.root())) {
      throw new QuoteVerificationException(Reason.UNTRUSTED_ROOT,
          "collateral is anchored in a different root than the quote's PCK chain");
    }
    if (!c.rootCaCrl().getIssuerX500Principal().equals(chain.root().getSubjectX500Principal())) {
      throw new QuoteVerificationException(
          Reason.CRL_INVALID, "root CA CRL is not issued by the quote's root CA");
    }
    if (!vc.pckCrlIssuer().equals(chain.intermediate())
        && !vc.pckCrlIssuer().getPublicKey().equals(chain.intermediate().getPublicKey())) {
      throw new QuoteVerificationException(
          Reason.CRL_INVALID, "PCK CRL is not issued by the quote's PCK CA");
    }
    Certificates.requireNotRevoked(c.rootCaCrl(), chain.intermediate(), "PCK CA certificate");
    Certificates.requireNotRevoked(c.rootCaCrl(), vc.tcbSigningCert(), "TCB signing certificate");
    Certificates.requireNotRevoked(c.pckCrl(), chain.leaf(), "PCK certificate");

    Quote quote = sigs.quote();
    EnclaveTcbLevel qeLevel = TcbEvaluator.evaluateQe(
        c.qeIdentity().value(), quote.signatureData().certification().qeReport());
    TcbEvaluation tcb =
        TcbEvaluator.evaluate(c.tcbInfo().value(), chain.extensions(), quote.body(), qeLevel);
    Instant expiry = c.earliestExpiry();
    for (X509Certificate cert : List.of(chain.leaf(), chain.intermediate(), chain.root())) {
      Instant notAfter = cert.getNotAfter().toInstant();
      expiry = notAfter.isBefore(expiry) ? notAfter : expiry;
    }
    return new VerifiedQuote(quote, chain.extensions(), tcb, expiry, now);
  }

  private VerifiedCollateral cachedVerifyCollateral(Collateral c)
      throws QuoteVerificationException {
    CachedCollateral cached = lastCollateral;
    if (cached != null && cached.collateral() == c) {
      return cached.verified();
    }
    VerifiedCollateral v = verifyCollateral(c);
    lastCollateral = new CachedCollateral(c, v);
    return v;
  }

  private PckChain pckChain(Bytes pem) throws QuoteVerificationException {
    PckChain chain = chainCache.get(pem);
    if (chain == null) {
      chain = PckChain.validate(pem, anchors, provider);
      if (chainCache.size() >= CHAIN_CACHE_LIMIT) {
        chainCache.clear();
      }
      chainCache.put(pem, chain);
    }
    return chain;
  }

  /** The attestation key as a provider key; cached, since a QE keeps its key across quotes. */
  private PublicKey attestationKey(Bytes xy) throws QuoteVerificationException {
    PublicKey key = attestationKeys.get(xy);
    if (key == null) {
      try {
        key = ecdsa.publicKey(xy);
      } catch (GeneralSecurityException e) {
        throw new QuoteVerificationException(
            Reason.ATTESTATION_KEY_INVALID, "attestation key is not a P-256 point", e);
      }
      if (attestationKeys.size() >= CHAIN_CACHE_LIMIT) {
        attestationKeys.clear();
      }
      attestationKeys.put(xy, key);
    }
    return key;
  }

  private static Bytes concat(byte[] a, Bytes b) {
    byte[] out = new byte[a.length + b.size()];
    System.arraycopy(a, 0, out, 0, a.length);
    b.copyTo(out, a.length);
    return Bytes.copyOf(out);
  }

  private X509Certificate signingCert(List<X509Certificate> chain, String what)
      throws QuoteVerificationException {
    if (chain.size() != 2) {
      throw new QuoteVerificationException(Reason.COLLATERAL_CHAIN_MALFORMED,
          what + " must hold 2 certificates (TCB signing, root), found " + chain.size());
    }
    X509Certificate signer = chain.get(0);
    X509Certificate root = chain.get(1);
    Certificates.requireName(signer, "SGX TCB Signing", Reason.COLLATERAL_CHAIN_MALFORMED);
    requireAnchoredRoot(root, what);
    Certificates.requireSignedBy(signer, root, provider, "TCB signing certificate");
    return signer;
  }

  private void requireAnchoredRoot(X509Certificate root, String what)
      throws QuoteVerificationException {
    if (!anchors.contains(root)) {
      throw new QuoteVerificationException(
          Reason.UNTRUSTED_ROOT, what + " root is not a configured trust anchor");
    }
  }

  private void verifyDocument(Signed<?> doc, X509Certificate signer, Reason reason, String what)
      throws QuoteVerificationException {
    if (!ecdsa.verify(signer.getPublicKey(), doc.signedBody().toByteArray(), doc.signature())) {
      throw new QuoteVerificationException(reason, what + " signature does not verify");
    }
  }

  private static void requireCurrent(Instant issued, Instant next, Instant now, Reason reason,
      String what) throws QuoteVerificationException {
    if (now.isBefore(issued) || now.isAfter(next)) {
      throw new QuoteVerificationException(reason,
          what + " is valid " + issued + " to " + next + ", verification time is " + now);
    }
  }

  private static void sha256(Bytes a, Bytes b, byte[] out64) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(a.toByteArray());
      md.update(b.toByteArray());
      System.arraycopy(md.digest(), 0, out64, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

}
