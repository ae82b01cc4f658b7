package dev.carapace.snp.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.FirmwareVersion;
import dev.carapace.snp.report.GuestPolicy;
import dev.carapace.snp.report.PlatformInfo;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.SignerInfo;
import dev.carapace.snp.report.TcbVersion;

/** Builds a report from trustee's SNP evidence JSON (virtee/sev serde: byte arrays as numbers). */
final class TrusteeEvidence {
  private TrusteeEvidence() {}

  static AttestationReport report(JsonNode j) {
    int family = j.get("cpuid_fam_id").asInt();
    int model = j.get("cpuid_mod_id").asInt();
    Product product = Product.fromCpuid(family, model).orElseThrow();
    return new AttestationReport(
        j.get("version").asInt(),
        j.get("guest_svn").asLong(),
        GuestPolicy.fromRaw(j.get("policy").asLong()),
        bytesOf(j.get("family_id")),
        bytesOf(j.get("image_id")),
        j.get("vmpl").asInt(),
        j.get("sig_algo").asInt(),
        tcb(product, j.get("current_tcb")),
        new PlatformInfo(j.get("plat_info").asLong()),
        SignerInfo.fromRaw(j.get("key_info").asLong()),
        bytesOf(j.get("report_data")),
        bytesOf(j.get("measurement")),
        bytesOf(j.get("host_data")),
        bytesOf(j.get("id_key_digest")),
        bytesOf(j.get("author_key_digest")),
        bytesOf(j.get("report_id")),
        bytesOf(j.get("report_id_ma")),
        tcb(product, j.get("reported_tcb")),
        family,
        model,
        j.get("cpuid_step").asInt(),
        bytesOf(j.get("chip_id")),
        tcb(product, j.get("committed_tcb")),
        version(j.get("current")),
        version(j.get("committed")),
        tcb(product, j.get("launch_tcb")),
        0,
        0,
        bytesOf(j.get("signature").get("r")),
        bytesOf(j.get("signature").get("s")));
  }

  static byte[] bytes(JsonNode array) {
    byte[] out = new byte[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) array.get(i).asInt();
    }
    return out;
  }

  private static Bytes bytesOf(JsonNode array) {
    return Bytes.copyOf(bytes(array));
  }

  private static TcbVersion tcb(Product p, JsonNode t) {
    return TcbVersion.of(p, t.get("bootloader").asInt(), t.get("tee").asInt(),
        t.get("snp").asInt(), t.get("microcode").asInt(),
        t.get("fmc").isNull() ? 0 : t.get("fmc").asInt());
  }

  private static FirmwareVersion version(JsonNode v) {
    return new FirmwareVersion(v.get("major").asInt(), v.get("minor").asInt(),
        v.get("build").asInt());
  }
}
