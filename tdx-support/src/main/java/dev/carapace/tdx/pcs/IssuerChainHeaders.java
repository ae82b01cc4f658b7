package dev.carapace.tdx.pcs;

import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** The URL-encoded PEM issuer-chain headers of PCS responses. Stateless. */
final class IssuerChainHeaders {
  static final String TCB_INFO = "TCB-Info-Issuer-Chain";
  /** The API v3 name, still sent by some PCCS versions. */
  static final String TCB_INFO_V3 = "SGX-TCB-Info-Issuer-Chain";
  static final String QE_IDENTITY = "SGX-Enclave-Identity-Issuer-Chain";
  static final String PCK_CRL = "SGX-PCK-CRL-Issuer-Chain";

  private IssuerChainHeaders() {}

  /** The issuer chain from the first present header among {@code names}. */
  static List<X509Certificate> chain(HttpHeaders headers, String... names)
      throws CollateralException {
    for (String name : names) {
      Optional<String> value = headers.firstValue(name);
      if (value.isPresent()) {
        return CollateralDocuments.parseCertificateChain(decode(value.get()));
      }
    }
    throw new CollateralException(Reason.BAD_RESPONSE, "response lacks header " + names[0]);
  }

  /**
   * Percent-decodes a PEM issuer-chain header as PCS encodes it ({@code %20}, {@code %0A},
   * {@code %2B}...). A literal {@code +} stays {@code +} (it is base64), as in Intel's QPL; a
   * form-encoded {@code BEGIN+CERTIFICATE} marker is accepted too.
   */
  static String decode(String value) throws CollateralException {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8)
          .replace("-----BEGIN+CERTIFICATE-----", "-----BEGIN CERTIFICATE-----")
          .replace("-----END+CERTIFICATE-----", "-----END CERTIFICATE-----");
    } catch (IllegalArgumentException e) {
      throw new CollateralException(Reason.MALFORMED, "issuer-chain header is not URL-encoded", e);
    }
  }
}
