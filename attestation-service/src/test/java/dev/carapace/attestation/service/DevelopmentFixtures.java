package dev.carapace.attestation.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.kbs.protocol.JsonCanonicalizer;
import dev.carapace.attestation.service.evidence.DevelopmentPkis;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.FirmwareVersion;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.simulate.SnpDevelopmentPki;
import dev.carapace.tdx.simulate.DevelopmentPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Development PKIs shared by the HTTP tests (generated once per JVM, written into each test's
 * data directory where the service's dev mode finds them), and builders for evidence as CoCo
 * attesters send it.
 */
public final class DevelopmentFixtures {
  public static final Provider BC = new BouncyCastleProvider();
  public static final SecureRandom RANDOM = new SecureRandom();
  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final DevelopmentPki TDX_PKI;
  public static final SnpDevelopmentPki SNP_PKI;

  static {
    try {
      TDX_PKI = DevelopmentPki.generate(RANDOM, BC, Clock.systemUTC());
      Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
      SNP_PKI = SnpDevelopmentPki.generate(Product.GENOA, SnpDevelopmentPki.MIN_RSA_KEY_BITS,
          true, from, from.plus(3650, ChronoUnit.DAYS), RANDOM, BC);
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private DevelopmentFixtures() {}

  /** A fresh data directory holding the development PKIs, deleted when the JVM exits. */
  public static Path dataDirectory(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      TDX_PKI.writeTo(DevelopmentPkis.tdxDirectory(dir));
      SNP_PKI.writeTo(DevelopmentPkis.snpDirectory(dir, Product.GENOA));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort in a shutdown hook
    }
  }

  /**
   * {@code {"structured": {"tee-pubkey": <vector JWK>, "nonce": nonce, "additional-evidence":
   * ""}}}.
   */
  public static ObjectNode runtimeData(String nonce) {
    ObjectNode structured = MAPPER.createObjectNode();
    structured.set("tee-pubkey", TestVectors.kbs().at("/tee_keypair/public_jwk").deepCopy());
    structured.put("nonce", nonce);
    structured.put("additional-evidence", "");
    ObjectNode rd = MAPPER.createObjectNode();
    rd.set("structured", structured);
    return rd;
  }

  /** SHA-384 of the JCS form of the structured runtime data, zero-padded to 64 bytes. */
  public static Bytes reportData(ObjectNode runtimeData) {
    String canonical = JsonCanonicalizer.canonicalize(runtimeData.get("structured"));
    byte[] out = new byte[64];
    System.arraycopy(sha384(canonical.getBytes(StandardCharsets.UTF_8)), 0, out, 0, 48);
    return Bytes.copyOf(out);
  }

  public static byte[] sha384(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(data);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** base64url without padding, as Trustee's REST clients encode the evidence. */
  public static String b64url(byte[] data) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
  }

  /** CoCo's TDX evidence {@code {"quote": base64}} for the request's evidence field. */
  public static String tdxEvidence(byte[] quote) {
    ObjectNode e = MAPPER.createObjectNode();
    e.put("quote", Base64.getEncoder().encodeToString(quote));
    return b64url(e.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * CoCo's SNP evidence: {@code {"attestation_report": {...}, "cert_chain": [{"cert_type":
   * "VCEK", "data": [...]}]}}, the report serialized field by field as the sev crate does.
   */
  public static String snpEvidence(AttestationReport r, byte[] vcekDer) {
    ObjectNode o = MAPPER.createObjectNode();
    ObjectNode rep = o.putObject("attestation_report");
    rep.put("version", r.version());
    rep.put("guest_svn", r.guestSvn());
    rep.put("policy", r.policy().toRaw());
    bytes(rep, "family_id", r.familyId());
    bytes(rep, "image_id", r.imageId());
    rep.put("vmpl", r.vmpl());
    rep.put("sig_algo", r.signatureAlgo());
    tcb(rep, "current_tcb", r.currentTcb());
    rep.put("plat_info", r.platformInfo().raw());
    rep.put("key_info", r.signerInfo().toRaw());
    bytes(rep, "report_data", r.reportData());
    bytes(rep, "measurement", r.measurement());
    bytes(rep, "host_data", r.hostData());
    bytes(rep, "id_key_digest", r.idKeyDigest());
    bytes(rep, "author_key_digest", r.authorKeyDigest());
    bytes(rep, "report_id", r.reportId());
    bytes(rep, "report_id_ma", r.reportIdMa());
    tcb(rep, "reported_tcb", r.reportedTcb());
    rep.put("cpuid_fam_id", r.cpuidFamily());
    rep.put("cpuid_mod_id", r.cpuidModel());
    rep.put("cpuid_step", r.cpuidStepping());
    bytes(rep, "chip_id", r.chipId());
    tcb(rep, "committed_tcb", r.committedTcb());
    firmware(rep, "current", r.currentVersion());
    firmware(rep, "committed", r.committedVersion());
    tcb(rep, "launch_tcb", r.launchTcb());
    if (r.version() >= 5) {
      rep.put("launch_mit_vector", r.launchMitVector());
      rep.put("current_mit_vector", r.currentMitVector());
    }
    ObjectNode sig = rep.putObject("signature");
    bytes(sig, "r", r.signatureR());
    bytes(sig, "s", r.signatureS());
    ObjectNode cert = o.putArray("cert_chain").addObject();
    cert.put("cert_type", "VCEK");
    ArrayNode data = cert.putArray("data");
    for (byte b : vcekDer) {
      data.add(b & 0xff);
    }
    return b64url(o.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(ObjectNode o, String name, Bytes b) {
    ArrayNode a = o.putArray(name);
    for (int i = 0; i < b.size(); i++) {
      a.add(b.getUnsigned(i));
    }
  }

  private static void tcb(ObjectNode o, String name, TcbVersion t) {
    ObjectNode n = o.putObject(name);
    if (t.product().turinTcbLayout()) {
      n.put("fmc", t.fmc());
    } else {
      n.putNull("fmc");
    }
    n.put("bootloader", t.bootloader());
    n.put("tee", t.tee());
    n.put("snp", t.snp());
    n.put("microcode", t.microcode());
  }

  private static void firmware(ObjectNode o, String name, FirmwareVersion v) {
    o.putObject(name).put("major", v.major()).put("minor", v.minor()).put("build", v.build());
  }
}
