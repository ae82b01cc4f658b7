package dev.carapace.tdx.pcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads and writes the {@code QuoteCollateralV3} JSON bundle used by Phala's dcap-qvl: PEM issuer
 * chains, hex-encoded DER CRLs, the exact signed TCB Info / QE Identity JSON text as strings, and
 * hex signatures. A convenient single-file offline collateral format. Thread-safe.
 */
public final class QuoteCollateralV3 {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private QuoteCollateralV3() {}

  public static Collateral parse(byte[] json) throws CollateralException {
    if (json.length > CollateralDocuments.MAX_DOCUMENT_SIZE) {
      throw new CollateralException(Reason.MALFORMED, "collateral bundle is too large");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new CollateralException(Reason.MALFORMED, "collateral bundle is not valid JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new CollateralException(Reason.MALFORMED, "collateral bundle is not a JSON object");
    }
    return new Collateral(
        CollateralDocuments.parseCertificateChain(field(root, "pck_crl_issuer_chain")),
        CollateralDocuments.parseCrl(ascii(field(root, "root_ca_crl"))),
        CollateralDocuments.parseCrl(ascii(field(root, "pck_crl"))),
        CollateralDocuments.parseCertificateChain(field(root, "tcb_info_issuer_chain")),
        CollateralDocuments.tcbInfo(utf8(field(root, "tcb_info")),
            field(root, "tcb_info_signature")),
        CollateralDocuments.parseCertificateChain(field(root, "qe_identity_issuer_chain")),
        CollateralDocuments.qeIdentity(utf8(field(root, "qe_identity")),
            field(root, "qe_identity_signature")));
  }

  /** Encodes collateral as a QuoteCollateralV3 JSON document (UTF-8). */
  public static byte[] encode(Collateral c) {
    ObjectNode root = MAPPER.createObjectNode();
    HexFormat hex = HexFormat.of();
    try {
      root.put("pck_crl_issuer_chain", pem(c.pckCrlIssuerChain()));
      root.put("root_ca_crl", hex.formatHex(c.rootCaCrl().getEncoded()));
      root.put("pck_crl", hex.formatHex(c.pckCrl().getEncoded()));
    } catch (CRLException e) {
      throw new IllegalStateException("collateral holds an unencodable object", e);
    }
    root.put("tcb_info_issuer_chain", pem(c.tcbInfoIssuerChain()));
    root.put("tcb_info",
        new String(c.tcbInfo().signedBody().toByteArray(), StandardCharsets.UTF_8));
    root.put("tcb_info_signature", c.tcbInfo().signature().toHex());
    root.put("qe_identity_issuer_chain", pem(c.qeIdentityIssuerChain()));
    root.put("qe_identity",
        new String(c.qeIdentity().signedBody().toByteArray(), StandardCharsets.UTF_8));
    root.put("qe_identity_signature", c.qeIdentity().signature().toHex());
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("JSON encoding failed", e);
    }
  }

  /** PEM text of certificates, in order. */
  public static String pem(List<X509Certificate> chain) {
    StringBuilder sb = new StringBuilder();
    Base64.Encoder enc = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (X509Certificate cert : chain) {
      try {
        sb.append("-----BEGIN CERTIFICATE-----\n")
            .append(enc.encodeToString(cert.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("certificate cannot be encoded", e);
      }
    }
    return sb.toString();
  }

  private static String field(JsonNode root, String name) throws CollateralException {
    JsonNode v = root.get(name);
    if (v == null || !v.isTextual()) {
      throw new CollateralException(Reason.MALFORMED, "collateral bundle needs string " + name);
    }
    return v.asText();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
