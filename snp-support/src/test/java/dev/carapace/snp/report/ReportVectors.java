package dev.carapace.snp.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The SNP report vectors under {@code src/test/resources/vectors/report-*}. */
public final class ReportVectors {
  /** Inside the valid window of every VCEK vector (shared README). */
  public static final Instant VCEK_TIME = Instant.parse("2026-03-01T00:00:00Z");
  /** Inside the valid window of the VLEK vector, which expired 2025-12-10. */
  public static final Instant VLEK_TIME = Instant.parse("2025-06-01T00:00:00Z");

  /**
   * A real report with its endorsement certificate.
   *
   * @param name the directory name (as in the shared expected.json)
   * @param dir path under vectors/
   */
  public record Vector(String name, String dir, String cert, int version, Product product,
      SigningKey signer) {
    public byte[] report() {
      return read(dir + "/report.bin");
    }

    public X509Certificate certificate() {
      return ReportVectors.certificate(dir + "/" + cert);
    }

    public Instant time() {
      return signer == SigningKey.VLEK ? VLEK_TIME : VCEK_TIME;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  public static final List<Vector> GOLDEN = List.of(
      new Vector("gsg_milan_v2", "report-go-sev-guest/gsg_milan_v2", "vcek.der", 2,
          Product.MILAN, SigningKey.VCEK),
      new Vector("virtee_milan_v2", "report-virtee/virtee_milan_v2", "vcek.der", 2,
          Product.MILAN, SigningKey.VCEK),
      new Vector("trustee_milan_v2_idblock", "report-trustee/trustee_milan_v2_idblock",
          "vcek.der", 2, Product.MILAN, SigningKey.VCEK),
      new Vector("trustee_milan_v3_vlek", "report-trustee/trustee_milan_v3_vlek", "vlek.der", 3,
          Product.MILAN, SigningKey.VLEK),
      new Vector("trustee_genoa_v3", "report-trustee/trustee_genoa_v3", "vcek.der", 3,
          Product.GENOA, SigningKey.VCEK),
      new Vector("gcp_milan_v5", "report-teekit/gcp_milan_v5", "vcek.pem", 5, Product.MILAN,
          SigningKey.VCEK),
      new Vector("msft_milan_v3", "report-msft-tav/msft_milan_v3", "vcek.pem", 3, Product.MILAN,
          SigningKey.VCEK),
      new Vector("msft_genoa_v3", "report-msft-tav/msft_genoa_v3", "vcek.pem", 3, Product.GENOA,
          SigningKey.VCEK),
      new Vector("msft_turin_v5", "report-msft-tav/msft_turin_v5", "vcek.pem", 5, Product.TURIN,
          SigningKey.VCEK));

  private ReportVectors() {}

  public static Stream<Vector> golden() {
    return GOLDEN.stream();
  }

  public static Vector named(String name) {
    return GOLDEN.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  /** The shared expected.json entry for a vector, if it has one. */
  public static Optional<JsonNode> expected(String name) {
    try {
      JsonNode root = new ObjectMapper().readTree(read("report-expected/expected.json"));
      for (JsonNode v : root.get("vectors")) {
        if (v.get("dir").asText().equals("reports/" + name)) {
          return Optional.of(v);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] read(String path) {
    try (InputStream in = ReportVectors.class.getResourceAsStream("/vectors/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test vector " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A DER or PEM certificate, parsed by the JDK's X.509 factory. */
  public static X509Certificate certificate(String path) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(read(path)));
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** All certificates of a PEM bundle, in order. */
  public static List<X509Certificate> certificates(String path) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(read(path))).stream()
          .map(X509Certificate.class::cast).toList();
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }
}
