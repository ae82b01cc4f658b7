package dev.carapace.attestation.service.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.evidence.EvidenceException.Reason;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.FirmwareVersion;
import dev.carapace.snp.report.GuestPolicy;
import dev.carapace.snp.report.PlatformInfo;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportEncoder;
import dev.carapace.snp.report.ReportParseException;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.report.SignerInfo;
import dev.carapace.snp.report.TcbVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * SEV-SNP evidence in either accepted form, reduced to the raw report and the endorsement
 * certificates it carries:
 *
 * <ul>
 *   <li>CoCo's {@code snp} attester: {@code {"attestation_report": {...}, "cert_chain": [{
 *       "cert_type": "VCEK", "data": [...]}]}}, the report serialized field by field as the
 *       {@code sev} crate does (byte arrays as arrays of numbers, TCB versions as objects);
 *   <li>raw: {@code {"report": "<base64 of the 1184-byte report>", "vcek": "<base64 DER or PEM>"}}
 *       ({@code vlek} instead of {@code vcek} for VLEK-signed reports; either may be absent when
 *       the service has a KDS source).
 * </ul>
 *
 * @param report the parsed (unverified) report
 * @param certificates DER or PEM bytes by upper-case type (VCEK, VLEK, ASK, ARK, ...)
 */
record SnpEvidence(AttestationReport report, Map<String, byte[]> certificates) {

  static SnpEvidence parse(ObjectNode json) throws EvidenceException {
    byte[] raw;
    Map<String, byte[]> certs = new LinkedHashMap<>();
    if (json.has("attestation_report")) {
      JsonNode r = json.get("attestation_report");
      if (!(r instanceof ObjectNode o)) {
        throw malformed("attestation_report must be an object");
      }
      raw = fromSerde(o);
      JsonNode chain = json.get("cert_chain");
      if (chain != null && !chain.isNull()) {
        if (!chain.isArray()) {
          throw malformed("cert_chain must be an array");
        }
        for (JsonNode entry : chain) {
          String type = entry.path("cert_type").asText("").toUpperCase(Locale.ROOT);
          try {
            certs.put(type, bytes(entry.get("data"), -1, "cert_chain data"));
          } catch (IllegalArgumentException e) {
            throw new EvidenceException(Reason.MALFORMED_EVIDENCE, null, e.getMessage(), e);
          }
        }
      }
    } else if (json.has("report")) {
      raw = EvidenceJson.base64(EvidenceJson.text(json, "report", "snp"), "snp report");
      for (String type : new String[] {"vcek", "vlek"}) {
        JsonNode c = json.get(type);
        if (c != null && !c.isNull()) {
          String text = c.asText();
          certs.put(type.toUpperCase(Locale.ROOT), text.contains("-----BEGIN")
              ? text.getBytes(StandardCharsets.US_ASCII)
              : EvidenceJson.base64(text, "snp " + type));
        }
      }
    } else {
      throw malformed("snp evidence must have \"attestation_report\" or \"report\"");
    }
    try {
      return new SnpEvidence(ReportParser.parse(raw), certs);
    } catch (ReportParseException e) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, e.reason().name(),
          "malformed SNP report: " + e.getMessage(), e);
    }
  }

  /** The raw report of a {@code sev}-crate serialization. */
  private static byte[] fromSerde(ObjectNode r) throws EvidenceException {
    try {
      int version = (int) u(r, "version", 0xffffffffL);
      int family = (int) u(r, "cpuid_fam_id", 0xff, 0);
      int model = (int) u(r, "cpuid_mod_id", 0xff, 0);
      Product product = product(r, version, family, model);
      JsonNode sig = r.path("signature");
      AttestationReport report = new AttestationReport(
          version,
          u(r, "guest_svn", 0xffffffffL),
          GuestPolicy.fromRaw(u(r, "policy", -1)),
          Bytes.copyOf(bytes(r.get("family_id"), 16, "family_id")),
          Bytes.copyOf(bytes(r.get("image_id"), 16, "image_id")),
          (int) u(r, "vmpl", 0xffffffffL),
          (int) u(r, "sig_algo", 0xffffffffL),
          tcb(r, "current_tcb", product),
          new PlatformInfo(u(r, "plat_info", -1)),
          SignerInfo.fromRaw(u(r, "key_info", 0xffffffffL)),
          Bytes.copyOf(bytes(r.get("report_data"), 64, "report_data")),
          Bytes.copyOf(bytes(r.get("measurement"), 48, "measurement")),
          Bytes.copyOf(bytes(r.get("host_data"), 32, "host_data")),
          Bytes.copyOf(bytes(r.get("id_key_digest"), 48, "id_key_digest")),
          Bytes.copyOf(bytes(r.get("author_key_digest"), 48, "author_key_digest")),
          Bytes.copyOf(bytes(r.get("report_id"), 32, "report_id")),
          Bytes.copyOf(bytes(r.get("report_id_ma"), 32, "report_id_ma")),
          tcb(r, "reported_tcb", product),
          family,
          model,
          (int) u(r, "cpuid_step", 0xff, 0),
          Bytes.copyOf(bytes(r.get("chip_id"), 64, "chip_id")),
          tcb(r, "committed_tcb", product),
          firmware(r.get("current")),
          firmware(r.get("committed")),
          tcb(r, "launch_tcb", product),
          u(r, "launch_mit_vector", -1, 0),
          u(r, "current_mit_vector", -1, 0),
          Bytes.copyOf(bytes(sig.get("r"), 72, "signature.r")),
          Bytes.copyOf(bytes(sig.get("s"), 72, "signature.s")));
      return ReportEncoder.encode(report);
    } catch (IllegalArgumentException e) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, null,
          "malformed attestation_report: " + e.getMessage(), e);
    }
  }

  private static Product product(ObjectNode r, int version, int family, int model) {
    for (String name : new String[] {"current_tcb", "reported_tcb", "committed_tcb",
        "launch_tcb"}) {
      JsonNode fmc = r.path(name).get("fmc");
      if (fmc != null && !fmc.isNull()) {
        return Product.TURIN;
      }
    }
    return version >= 3 ? Product.fromCpuid(family, model).orElse(Product.MILAN) : Product.MILAN;
  }

  private static TcbVersion tcb(ObjectNode r, String name, Product product) {
    JsonNode t = r.get(name);
    if (t == null || !t.isObject()) {
      throw new IllegalArgumentException(name + " must be an object");
    }
    ObjectNode o = (ObjectNode) t;
    int fmc = (int) u(o, "fmc", 0xff, 0);
    return TcbVersion.of(product, (int) u(o, "bootloader", 0xff), (int) u(o, "tee", 0xff),
        (int) u(o, "snp", 0xff), (int) u(o, "microcode", 0xff), product.turinTcbLayout() ? fmc : 0);
  }

  private static FirmwareVersion firmware(@Nullable JsonNode v) {
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException("firmware versions must be objects");
    }
    ObjectNode o = (ObjectNode) v;
    return new FirmwareVersion((int) u(o, "major", 0xff), (int) u(o, "minor", 0xff),
        (int) u(o, "build", 0xff));
  }

  private static long u(ObjectNode o, String field, long max) {
    JsonNode n = o.get(field);
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException(field + " must be an unsigned integer");
    }
    long v = n.asLong();
    if (max >= 0 && (v < 0 || v > max)) {
      throw new IllegalArgumentException(field + " out of range: " + v);
    }
    return v;
  }

  private static long u(ObjectNode o, String field, long max, long absent) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? absent : u(o, field, max);
  }

  /** A byte array as JSON numbers (serde) or base64 text; {@code size} -1 for any length. */
  private static byte[] bytes(@Nullable JsonNode n, int size, String what) {
    byte[] out;
    if (n != null && n.isArray()) {
      out = new byte[n.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode b = n.get(i);
        if (!b.isIntegralNumber() || b.asInt() < 0 || b.asInt() > 255) {
          throw new IllegalArgumentException(what + " must be an array of bytes");
        }
        out[i] = (byte) b.asInt();
      }
    } else if (n != null && n.isTextual()) {
      out = EvidenceJson.decodeBase64(n.asText());
    } else {
      throw new IllegalArgumentException(what + " must be an array of bytes");
    }
    if (size >= 0 && out.length != size) {
      throw new IllegalArgumentException(what + " must be " + size + " bytes, got " + out.length);
    }
    return out;
  }

  private static EvidenceException malformed(String message) {
    return new EvidenceException(Reason.MALFORMED_EVIDENCE, message);
  }
}
