package dev.carapace.attestation.service.evidence;

import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.GuestPolicy;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.VerifiedReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A verified SEV-SNP report as Trustee's verifier names its claims ({@code snp.measurement},
 * {@code snp.policy_debug_allowed}, {@code snp.reported_tcb_snp}, ...) plus the remaining report
 * fields; byte fields as lower-case hex. Stateless.
 */
final class SnpClaims {
  private SnpClaims() {}

  static Map<String, Object> of(VerifiedReport v) {
    AttestationReport r = v.report();
    GuestPolicy p = r.policy();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", r.version());
    m.put("product", v.product().kdsName());
    m.put("signing_key", v.signingKey().name());
    // Set only here, after the VCEK/VLEK chain and the report signature verified.
    m.put("signer", v.signingKey().name().toLowerCase(java.util.Locale.ROOT));
    m.put("amd_root", v.amdRoot());
    m.put("revocation_checked", v.revocationChecked());
    m.put("vmpl", r.vmpl());
    m.put("guest_svn", r.guestSvn());
    m.put("policy_abi_major", p.abiMajor());
    m.put("policy_abi_minor", p.abiMinor());
    m.put("policy_smt_allowed", p.smt());
    m.put("policy_migrate_ma", p.migrateMa());
    m.put("policy_debug_allowed", p.debug());
    m.put("policy_single_socket", p.singleSocket());
    m.put("policy_cxl_allowed", p.cxlAllow());
    m.put("policy_mem_aes_256_xts", p.memAes256Xts());
    m.put("policy_rapl_dis", p.raplDis());
    m.put("policy_ciphertext_hiding", p.ciphertextHiding());
    m.put("policy_page_swap_disable", p.pageSwapDisable());
    tcb(m, "reported_tcb", r.reportedTcb());
    tcb(m, "current_tcb", r.currentTcb());
    tcb(m, "committed_tcb", r.committedTcb());
    tcb(m, "launch_tcb", r.launchTcb());
    m.put("platform_tsme_enabled", r.platformInfo().tsmeEnabled());
    m.put("platform_smt_enabled", r.platformInfo().smtEnabled());
    m.put("platform_ecc_enabled", r.platformInfo().eccEnabled());
    m.put("platform_rapl_disabled", r.platformInfo().raplDisabled());
    m.put("platform_ciphertext_hiding_enabled", r.platformInfo().ciphertextHidingEnabled());
    m.put("measurement", r.measurement().toHex());
    m.put("host_data", r.hostData().toHex());
    m.put("family_id", r.familyId().toHex());
    m.put("image_id", r.imageId().toHex());
    m.put("id_key_digest", r.idKeyDigest().toHex());
    m.put("author_key_digest", r.authorKeyDigest().toHex());
    m.put("report_id", r.reportId().toHex());
    m.put("report_id_ma", r.reportIdMa().toHex());
    m.put("chip_id", r.chipId().toHex());
    m.put("current_firmware", r.currentVersion().major() + "." + r.currentVersion().minor() + "."
        + r.currentVersion().build());
    return m;
  }

  private static void tcb(Map<String, Object> m, String prefix, TcbVersion t) {
    m.put(prefix + "_bootloader", t.bootloader());
    m.put(prefix + "_tee", t.tee());
    m.put(prefix + "_snp", t.snp());
    m.put(prefix + "_microcode", t.microcode());
    if (t.product().turinTcbLayout()) {
      m.put(prefix + "_fmc", t.fmc());
    }
  }
}
