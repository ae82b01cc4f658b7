package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The real AMD certificates and reports under {@code /vectors/kds} (see PROVENANCE.md there), and
 * a synthetic CRL (no real AMD CRL is in the test data).
 */
final class KdsVectors {
  /** Inside the validity window of every VCEK vector (shared test-data README). */
  static final Instant TEST_TIME = Instant.parse("2026-03-01T00:00:00Z");

  static final String GSG_MILAN = "reports/gsg_milan_v2";
  static final String GENOA = "reports/trustee_genoa_v3";
  static final String GCP_MILAN = "reports/gcp_milan_v5";
  static final String TRUSTEE_MILAN = "reports/trustee_milan_v2_idblock";
  static final String TURIN = "reports/virtee_turin_vcek_only";
  static final String VLEK_MILAN = "reports/trustee_milan_v3_vlek";

  /** The Turin VCEK's hwID extension (8 bytes) and TCB: fmc 0, bl 0, tee 0, snp 0, ucode 9. */
  static final Bytes TURIN_HWID = Bytes.fromHex("1e550a8ee5cf9f4d");
  static final TcbVersion TURIN_TCB = TcbVersion.of(Product.TURIN, 0, 0, 0, 9, 0);

  /** ARK SHA-256 fingerprints (DER) from the shared test-data README. */
  static final String MILAN_ARK_SHA256 =
      "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd";
  static final String GENOA_ARK_SHA256 =
      "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1";
  static final String TURIN_ARK_SHA256 =
      "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a";

  private KdsVectors() {}

  static byte[] bytes(String resource) {
    try (InputStream in = KdsVectors.class.getResourceAsStream("/vectors/kds/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String chainResource(Product product, SignerKind kind) {
    return "certs/" + product.kdsName().toLowerCase(java.util.Locale.ROOT) + "_"
        + kind.kdsPath() + "_cert_chain.pem";
  }

  static byte[] chainPem(Product product, SignerKind kind) {
    return bytes(chainResource(product, kind));
  }

  static List<X509Certificate> chain(Product product, SignerKind kind) {
    try {
      return KdsDocuments.parseCertChain(chainPem(product, kind));
    } catch (KdsException e) {
      throw new AssertionError(e);
    }
  }

  /** The endorsement certificate of a report directory, as DER (PEM files are converted). */
  static byte[] vcekDer(String dir) {
    for (String name : new String[] {"vcek.der", "vlek.der"}) {
      if (KdsVectors.class.getResource("/vectors/kds/" + dir + "/" + name) != null) {
        return bytes(dir + "/" + name);
      }
    }
    try {
      return KdsDocuments.parseCertificate(bytes(dir + "/vcek.pem")).getEncoded();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static X509Certificate certificate(byte[] der) {
    try {
      return KdsDocuments.parseCertificate(der);
    } catch (KdsException e) {
      throw new AssertionError(e);
    }
  }

  /** CHIP_ID (report offset 0x1A0, 64 bytes). */
  static Bytes chipId(String dir) {
    return Bytes.copyOf(bytes(dir + "/report.bin"), 0x1A0, 64);
  }

  /** REPORTED_TCB (report offset 0x180, little-endian u64), decoded for {@code product}. */
  static TcbVersion reportedTcb(String dir, Product product) {
    long raw = ByteBuffer.wrap(bytes(dir + "/report.bin"), 0x180, 8)
        .order(ByteOrder.LITTLE_ENDIAN).getLong();
    return TcbVersion.decode(product, raw);
  }

  /** CURRENT_TCB (report offset 0x38). */
  static TcbVersion currentTcb(String dir, Product product) {
    long raw = ByteBuffer.wrap(bytes(dir + "/report.bin"), 0x38, 8)
        .order(ByteOrder.LITTLE_ENDIAN).getLong();
    return TcbVersion.decode(product, raw);
  }

  /** The Turin chip id as a report carries it: 8 significant bytes, 56 zero bytes. */
  static Bytes turinChipId() {
    byte[] id = new byte[64];
    TURIN_HWID.copyTo(id, 0);
    return Bytes.copyOf(id);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String text(byte[] data) {
    return new String(data, StandardCharsets.US_ASCII);
  }

  private static KeyPair crlKey;

  /**
   * A synthetic DER CRL named like AMD's (issuer {@code CN=ARK-<Product>}), signed by a throwaway
   * EC key (AMD's are RSASSA-PSS by the ARK; signatures are not checked here), revoking serial
   * 0x10042.
   */
  static synchronized byte[] syntheticCrl(Product product, Instant thisUpdate,
      Instant nextUpdate) {
    try {
      if (crlKey == null) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        crlKey = g.generateKeyPair();
      }
      X509v2CRLBuilder b = new X509v2CRLBuilder(
          new X500Name("OU=Engineering,C=US,L=Santa Clara,ST=CA,O=Advanced Micro Devices,CN=ARK-"
              + product.kdsName()), Date.from(thisUpdate));
      b.setNextUpdate(Date.from(nextUpdate));
      b.addCRLEntry(BigInteger.valueOf(0x10042), Date.from(thisUpdate), 0);
      return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(crlKey.getPrivate()))
          .getEncoded();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
