package dev.carapace.tdx.verify;

import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.CollateralException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The root certificates a verifier accepts. By default only the Intel SGX Root CA bundled with
 * this library; any other root (such as a development root from the simulator) is trusted only
 * when a caller builds anchors with it explicitly. Immutable and thread-safe.
 */
public final class TrustAnchors {
  private static final String INTEL_ROOT_RESOURCE = "intel_sgx_root_ca.pem";

  private final List<X509Certificate> roots;
  private final List<byte[]> encodedRoots;

  private TrustAnchors(List<X509Certificate> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is required");
    }
    this.roots = List.copyOf(roots);
    this.encodedRoots = new ArrayList<>();
    for (X509Certificate r : this.roots) {
      try {
        encodedRoots.add(r.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("trust anchor cannot be encoded", e);
      }
    }
  }

  /** Only the Intel SGX Root CA (the anchor for SGX and TDX), bundled with this library. */
  public static TrustAnchors intel() {
    try (InputStream in = TrustAnchors.class.getResourceAsStream(INTEL_ROOT_RESOURCE)) {
      Objects.requireNonNull(in, "bundled Intel root missing");
      String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return new TrustAnchors(CollateralDocuments.parseCertificateChain(pem));
    } catch (IOException | CollateralException e) {
      throw new IllegalStateException("bundled Intel SGX Root CA cannot be read", e);
    }
  }

  /** Exactly these roots (for example a development root); nothing else is trusted. */
  public static TrustAnchors of(List<X509Certificate> roots) {
    return new TrustAnchors(roots);
  }

  /** These anchors plus {@code extra}. */
  public TrustAnchors plus(List<X509Certificate> extra) {
    List<X509Certificate> all = new ArrayList<>(roots);
    all.addAll(extra);
    return new TrustAnchors(all);
  }

  public List<X509Certificate> roots() {
    return roots;
  }

  /** True when {@code cert} is byte-for-byte one of the anchors. */
  public boolean contains(X509Certificate cert) {
    byte[] der;
    try {
      der = cert.getEncoded();
    } catch (CertificateEncodingException e) {
      return false;
    }
    boolean found = false;
    for (byte[] r : encodedRoots) {
      found |= MessageDigest.isEqual(r, der);
    }
    return found;
  }
}
