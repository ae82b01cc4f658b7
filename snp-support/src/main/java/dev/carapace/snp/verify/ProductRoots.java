package dev.carapace.snp.verify;

import dev.carapace.snp.report.Product;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The certificate authorities of one product line: the ARK (self-signed root), the ASK (issues
 * VCEKs) and optionally the ASVK (issues VLEKs). They are checked against AMD's profile (names,
 * CRL distribution points, signatures) when first used by a {@link ReportVerifier}; development
 * roots must follow the same profile.
 *
 * @param asvk the VLEK issuer, or null when VLEK-signed reports are not to be accepted
 */
public record ProductRoots(
    Product product, X509Certificate ark, X509Certificate ask, @Nullable X509Certificate asvk) {

  public ProductRoots {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(ark, "ark");
    Objects.requireNonNull(ask, "ask");
  }

  public Optional<X509Certificate> asvkValue() {
    return Optional.ofNullable(asvk);
  }

  /** The CRL URL AMD puts in the ARK and ASK: {@code .../vcek/v1/<Product>/crl}. */
  public String vcekCrlUrl() {
    return "https://kdsintf.amd.com/vcek/v1/" + product.kdsName() + "/crl";
  }

  /** The CRL URL AMD puts in the ASVK: {@code .../vlek/v1/<Product>/crl}. */
  public String vlekCrlUrl() {
    return "https://kdsintf.amd.com/vlek/v1/" + product.kdsName() + "/crl";
  }
}
