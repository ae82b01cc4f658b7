package dev.carapace.snp.kds;

import dev.carapace.snp.report.Product;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Recognises AMD certificates by subject common name: {@code ARK-<Product>}, {@code
 * SEV-<Product>} (ASK), {@code SEV-VLEK-<Product>} (ASVK). A naming check to pick the right
 * certificate, not a trust decision.
 */
final class AmdNames {
  private AmdNames() {}

  static Optional<String> commonName(X509Certificate cert) {
    try {
      LdapName name = new LdapName(cert.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  static String arkName(Product product) {
    return "ARK-" + product.kdsName();
  }

  /** The intermediate's CN: ASK {@code SEV-<P>} or ASVK {@code SEV-VLEK-<P>}. */
  static String intermediateName(Product product, SignerKind kind) {
    return (kind == SignerKind.VLEK ? "SEV-VLEK-" : "SEV-") + product.kdsName();
  }

  static boolean hasName(X509Certificate cert, String cn) {
    return commonName(cert).map(cn::equals).orElse(false);
  }

  static String describe(X509Certificate cert) {
    return commonName(cert).map(cn -> "CN=" + cn)
        .orElseGet(() -> cert.getSubjectX500Principal().getName());
  }
}
