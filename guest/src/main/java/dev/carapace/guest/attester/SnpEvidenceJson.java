package dev.carapace.guest.attester;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.FirmwareVersion;
import dev.carapace.snp.report.TcbVersion;
import java.util.List;

/**
 * CoCo's {@code snp} attester evidence: {@code {"attestation_report": {...}, "cert_chain": [{
 * "cert_type": "VCEK", "data": [...]}]}}, the report serialized field by field as the {@code sev}
 * crate's serde does (byte arrays as arrays of numbers, TCB versions as objects with {@code fmc}
 * null before Turin, CPUID fields null in version 2, mitigation vectors from version 5).
 */
final class SnpEvidenceJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private SnpEvidenceJson() {}

  static ObjectNode of(AttestationReport r, List<SnpCertTable.Entry> certs) {
    ObjectNode root = F.objectNode();
    ObjectNode o = root.putObject("attestation_report");
    o.put("version", r.version());
    o.put("guest_svn", r.guestSvn());
    o.put("policy", r.policy().toRaw());
    o.set("family_id", bytes(r.familyId()));
    o.set("image_id", bytes(r.imageId()));
    o.put("vmpl", r.vmpl());
    o.put("sig_algo", r.signatureAlgo());
    o.set("current_tcb", tcb(r.currentTcb()));
    o.put("plat_info", r.platformInfo().raw());
    o.put("key_info", r.signerInfo().toRaw());
    o.set("report_data", bytes(r.reportData()));
    o.set("measurement", bytes(r.measurement()));
    o.set("host_data", bytes(r.hostData()));
    o.set("id_key_digest", bytes(r.idKeyDigest()));
    o.set("author_key_digest", bytes(r.authorKeyDigest()));
    o.set("report_id", bytes(r.reportId()));
    o.set("report_id_ma", bytes(r.reportIdMa()));
    o.set("reported_tcb", tcb(r.reportedTcb()));
    if (r.version() >= 3) {
      o.put("cpuid_fam_id", r.cpuidFamily());
      o.put("cpuid_mod_id", r.cpuidModel());
      o.put("cpuid_step", r.cpuidStepping());
    } else {
      o.putNull("cpuid_fam_id");
      o.putNull("cpuid_mod_id");
      o.putNull("cpuid_step");
    }
    o.set("chip_id", bytes(r.chipId()));
    o.set("committed_tcb", tcb(r.committedTcb()));
    o.set("current", firmware(r.currentVersion()));
    o.set("committed", firmware(r.committedVersion()));
    o.set("launch_tcb", tcb(r.launchTcb()));
    if (r.version() >= 5) {
      o.put("launch_mit_vector", r.launchMitVector());
      o.put("current_mit_vector", r.currentMitVector());
    }
    ObjectNode sig = o.putObject("signature");
    sig.set("r", bytes(r.signatureR()));
    sig.set("s", bytes(r.signatureS()));
    ArrayNode chain = root.putArray("cert_chain");
    for (SnpCertTable.Entry e : certs) {
      ObjectNode c = chain.addObject();
      c.put("cert_type", e.type());
      c.set("data", bytes(e.data()));
    }
    return root;
  }

  private static ObjectNode tcb(TcbVersion t) {
    ObjectNode o = F.objectNode();
    if (t.product().turinTcbLayout()) {
      o.put("fmc", t.fmc());
    } else {
      o.putNull("fmc");
    }
    o.put("bootloader", t.bootloader());
    o.put("tee", t.tee());
    o.put("snp", t.snp());
    o.put("microcode", t.microcode());
    return o;
  }

  private static ObjectNode firmware(FirmwareVersion v) {
    ObjectNode o = F.objectNode();
    o.put("major", v.major());
    o.put("minor", v.minor());
    o.put("build", v.build());
    return o;
  }

  private static ArrayNode bytes(Bytes b) {
    ArrayNode a = F.arrayNode(b.size());
    for (int i = 0; i < b.size(); i++) {
      a.add(b.getUnsigned(i));
    }
    return a;
  }
}
