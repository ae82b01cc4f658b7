package dev.carapace.snp.verify;

import dev.carapace.snp.report.Product;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The AMD certificate authorities a {@link ReportVerifier} accepts, per product. {@link #amd()}
 * gives the ARK/ASK/ASVK of Milan, Genoa and Turin bundled with this library (pinned by SHA-256);
 * any other roots, such as development roots, are trusted only when a caller builds them with
 * {@link #of} explicitly. Immutable and thread-safe.
 */
public final class TrustedRoots {
  /** SHA-256 of the DER of the bundled AMD certificates (see the PROVENANCE.md next to them). */
  private static final Map<String, String> AMD_PINS = Map.of(
      "ark_milan", "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd",
      "ask_milan", "67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b",
      "asvk_milan", "c5e081f59b7efab1fe2f8b505e159704e72f29cab7ef7cf628a05a42439082f5",
      "ark_genoa", "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1",
      "ask_genoa", "5464738c1546aed5f2cecf1dc98c5c960a92e8913238a61711bc90ec6e828521",
      "asvk_genoa", "197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372",
      "ark_turin", "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a",
      "ask_turin", "5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185",
      "asvk_turin", "104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c");

  private final Map<Product, ProductRoots> roots;

  private TrustedRoots(Map<Product, ProductRoots> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one product's roots are required");
    }
    this.roots = Map.copyOf(roots);
  }

  /** AMD's production roots for Milan, Genoa and Turin, bundled with this library. */
  public static TrustedRoots amd() {
    Map<Product, ProductRoots> m = new EnumMap<>(Product.class);
    for (Product p : Product.values()) {
      m.put(p, new ProductRoots(p, bundled("ark" + suffix(p)), bundled("ask" + suffix(p)),
          bundled("asvk" + suffix(p))));
    }
    return new TrustedRoots(m);
  }

  /** Exactly these roots (for example development roots); nothing else is trusted. */
  public static TrustedRoots of(Collection<ProductRoots> productRoots) {
    Map<Product, ProductRoots> m = new EnumMap<>(Product.class);
    for (ProductRoots r : productRoots) {
      if (m.put(r.product(), r) != null) {
        throw new IllegalArgumentException("roots for " + r.product() + " given twice");
      }
    }
    return new TrustedRoots(m);
  }

  public Optional<ProductRoots> forProduct(Product product) {
    return Optional.ofNullable(roots.get(product));
  }

  public Set<Product> products() {
    return roots.keySet();
  }

  /** True when {@code ark} is byte for byte one of AMD's bundled production ARKs. */
  public static boolean isAmdArk(X509Certificate ark) {
    String fingerprint;
    try {
      fingerprint = sha256(ark.getEncoded());
    } catch (CertificateEncodingException e) {
      return false;
    }
    for (Product p : Product.values()) {
      if (fingerprint.equals(AMD_PINS.get("ark" + suffix(p)))) {
        return true;
      }
    }
    return false;
  }

  private static X509Certificate bundled(String name) {
    try (InputStream in = TrustedRoots.class.getResourceAsStream(name + ".pem")) {
      Objects.requireNonNull(in, "bundled AMD certificate " + name + " missing");
      X509Certificate cert = (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(in);
      if (!sha256(cert.getEncoded()).equals(AMD_PINS.get(name))) {
        throw new IllegalStateException("bundled AMD certificate " + name + " does not match its pin");
      }
      return cert;
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("bundled AMD certificate " + name + " cannot be read", e);
    }
  }

  private static String suffix(Product p) {
    return "_" + p.kdsName().toLowerCase(Locale.ROOT);
  }

  private static String sha256(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
