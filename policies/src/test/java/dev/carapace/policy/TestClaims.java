package dev.carapace.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Claims trees in the shape the attestation service produces (see the module README). */
final class TestClaims {
  static final String MR_TD = "a1".repeat(48);
  static final String RTMR_1 = "b1".repeat(48);
  static final String RTMR_2 = "b2".repeat(48);
  static final String SNP_MEASUREMENT = "c1".repeat(48);
  static final String INIT_DATA = "d1".repeat(32);

  private TestClaims() {}

  /** TDX claims with the given TCB status and debug bit, and init-data bound. */
  static Map<String, Object> tdx(String tcbStatus, boolean debug) {
    Map<String, Object> body = new HashMap<>();
    body.put("mr_td", MR_TD);
    body.put("rtmr_0", "00".repeat(48));
    body.put("rtmr_1", RTMR_1);
    body.put("rtmr_2", RTMR_2);
    body.put("rtmr_3", "00".repeat(48));
    body.put("td_attributes", debug ? "0100000010000000" : "0000001000000000");
    body.put("xfam", "e702060000000000");
    body.put("mr_config_id", INIT_DATA + "00".repeat(16));
    Map<String, Object> tdx = new HashMap<>();
    tdx.put(
        "quote", Map.of("header", Map.of("version", "0400", "tee_type", "81000000"), "body", body));
    tdx.put(
        "td_attributes",
        Map.of(
            "debug", debug,
            "septve_disable", true,
            "protection_keys", false,
            "key_locker", false,
            "perfmon", false));
    tdx.put("tcb_status", tcbStatus);
    tdx.put("advisory_ids", List.of());
    Map<String, Object> claims = new HashMap<>();
    claims.put("tdx", tdx);
    claims.put("report_data", "ee".repeat(64));
    claims.put("init_data", INIT_DATA);
    claims.put("runtime_data_claims", Map.of("nonce", "n0", "tee-pubkey", Map.of("kty", "EC")));
    return claims;
  }

  /** SNP claims with the given debug bit; reported TCB 3/0/8/115, signed by a VCEK. */
  static Map<String, Object> snp(boolean debugAllowed) {
    Map<String, Object> snp = new HashMap<>();
    snp.put("measurement", SNP_MEASUREMENT);
    snp.put("policy_abi_major", 1);
    snp.put("policy_abi_minor", 51);
    snp.put("policy_smt_allowed", true);
    snp.put("policy_migrate_ma", false);
    snp.put("policy_debug_allowed", debugAllowed);
    snp.put("policy_single_socket", false);
    snp.put("reported_tcb_bootloader", 3);
    snp.put("reported_tcb_tee", 0);
    snp.put("reported_tcb_snp", 8);
    snp.put("reported_tcb_microcode", 115);
    snp.put("platform_tsme_enabled", true);
    snp.put("platform_smt_enabled", true);
    snp.put("chip_id", "ab".repeat(64));
    snp.put("signer", "vcek");
    Map<String, Object> claims = new HashMap<>();
    claims.put("snp", snp);
    claims.put("report_data", "ee".repeat(64));
    claims.put("init_data", INIT_DATA);
    return claims;
  }

  /** Reference values under which {@link #tdx} and {@link #snp} claims are recognized. */
  static ReferenceValueProvider registered() {
    return ReferenceValueProvider.of(
        Map.of(
            "tdx.mr_td", List.of("ff".repeat(48), MR_TD),
            "tdx.rtmr_1", List.of(RTMR_1),
            "tdx.rtmr_2", List.of(RTMR_2),
            "snp.measurement", List.of(SNP_MEASUREMENT),
            "snp.minimum_tcb_bootloader", List.of("3"),
            "snp.minimum_tcb_tee", List.of("0"),
            "snp.minimum_tcb_snp", List.of("8"),
            "snp.minimum_tcb_microcode", List.of("115")));
  }

  /** Attestation claims a key broker passes to a resource policy. */
  static Map<String, Object> attestationResult(String tee, EarStatus status, int executables) {
    return Map.of(
        "tee",
        tee,
        "ear",
        Map.of(
            "status",
            status.earName(),
            "policy_id",
            "default",
            "trustworthiness_vector",
            new TrustworthinessVector(0, 2, executables, 0, 2, 2, 0, 0).toEarClaims()));
  }

  /** A mutable deep copy of {@code claims}'s map {@code key}, for tests that change one claim. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> claims, String key) {
    Map<String, Object> copy = new HashMap<>((Map<String, Object>) claims.get(key));
    claims.put(key, copy);
    return copy;
  }
}
