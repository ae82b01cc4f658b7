package dev.carapace.tdx.pcs;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Everything besides the quote that TDX quote verification needs (the DCAP "QuoteCollateralV3"
 * set). Unverified: {@code dev.carapace.tdx.verify.QuoteVerifier} checks every signature.
 *
 * @param pckCrlIssuerChain the PCK CA (platform or processor) and the root, as served in the
 *     {@code SGX-PCK-CRL-Issuer-Chain} header
 * @param rootCaCrl the Intel SGX Root CA's CRL
 * @param pckCrl the PCK CA's CRL
 * @param tcbInfoIssuerChain TCB signing certificate and root
 * @param qeIdentityIssuerChain TCB signing certificate and root
 */
public record Collateral(
    List<X509Certificate> pckCrlIssuerChain,
    X509CRL rootCaCrl,
    X509CRL pckCrl,
    List<X509Certificate> tcbInfoIssuerChain,
    Signed<TcbInfo> tcbInfo,
    List<X509Certificate> qeIdentityIssuerChain,
    Signed<QeIdentity> qeIdentity) {

  public Collateral {
    pckCrlIssuerChain = List.copyOf(pckCrlIssuerChain);
    Objects.requireNonNull(rootCaCrl, "rootCaCrl");
    Objects.requireNonNull(pckCrl, "pckCrl");
    tcbInfoIssuerChain = List.copyOf(tcbInfoIssuerChain);
    Objects.requireNonNull(tcbInfo, "tcbInfo");
    qeIdentityIssuerChain = List.copyOf(qeIdentityIssuerChain);
    Objects.requireNonNull(qeIdentity, "qeIdentity");
  }

  /**
   * The earliest instant at which any part of this collateral stops being valid: TCB Info and QE
   * Identity {@code nextUpdate}, CRL {@code nextUpdate}, issuer certificate {@code notAfter}.
   */
  public Instant earliestExpiry() {
    Stream<Instant> docs = Stream.of(
        tcbInfo.value().nextUpdate(), qeIdentity.value().nextUpdate(),
        rootCaCrl.getNextUpdate() == null ? Instant.MAX : rootCaCrl.getNextUpdate().toInstant(),
        pckCrl.getNextUpdate() == null ? Instant.MAX : pckCrl.getNextUpdate().toInstant());
    Stream<Instant> certs = Stream.of(pckCrlIssuerChain, tcbInfoIssuerChain, qeIdentityIssuerChain)
        .flatMap(List::stream)
        .map(c -> c.getNotAfter().toInstant());
    return Stream.concat(docs, certs).min(Instant::compareTo).orElse(Instant.MAX);
  }
}
