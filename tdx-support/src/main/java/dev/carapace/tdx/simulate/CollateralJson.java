package dev.carapace.tdx.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.TcbStatus;
import java.time.Instant;
import java.util.Locale;

/**
 * The JSON text of simulated TCB Info v3 (TDX) and QE Identity v2 (TD_QE), with Intel's field
 * order and spelling. Each document has an {@code UpToDate} level at the given latest TCB and,
 * where the SVNs allow, an older {@code OutOfDate} level one SVN below. Stateless.
 */
final class CollateralJson {
  static final int TCB_EVALUATION_DATA_NUMBER = 17;
  static final String SEAM_ATTRIBUTES = "0000000000000000";
  static final String SEAM_ATTRIBUTES_MASK = "FFFFFFFFFFFFFFFF";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[][] SGX_NAMES = {
      {"BIOS", "Early Microcode Update"}, {"OS/VMM", "SGX Late Microcode Update"},
      {"OS/VMM", "TXT SINIT"}, {"BIOS", ""}, {"BIOS", ""}, {"BIOS", ""}, {"", ""},
      {"OS/VMM", "SEAMLDR ACM"}};
  private static final String[][] TDX_NAMES = {
      {"OS/VMM", "TDX Module"}, {"OS/VMM", "TDX Module"},
      {"OS/VMM", "TDX Late Microcode Update"}};

  private CollateralJson() {}

  /** Dates of a document: issue and next update, and the tcbDate of the current and older levels. */
  record Dates(Instant issueDate, Instant nextUpdate, Instant tcbDate, Instant olderTcbDate) {}

  static byte[] tcbInfo(Bytes fmspc, Bytes pceId, Bytes mrSignerSeam, SimulatedPlatform latest,
      Dates d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", "TDX").put("version", 3);
    n.put("issueDate", d.issueDate().toString()).put("nextUpdate", d.nextUpdate().toString());
    n.put("fmspc", fmspc.toHex()).put("pceId", pceId.toHex().toUpperCase(Locale.ROOT));
    n.put("tcbType", 0).put("tcbEvaluationDataNumber", TCB_EVALUATION_DATA_NUMBER);
    ObjectNode module = n.putObject("tdxModule");
    putModule(module, mrSignerSeam);
    int version = latest.tdxModuleMajorVersion();
    if (version > 0) {
      ObjectNode identity = n.putArray("tdxModuleIdentities").addObject();
      identity.put("id", String.format(Locale.ROOT, "TDX_%02X", version));
      putModule(identity, mrSignerSeam);
      ArrayNode levels = identity.putArray("tcbLevels");
      int svn = latest.tdxModuleSvn();
      enclaveLevel(levels, svn, d.tcbDate(), TcbStatus.UP_TO_DATE);
      if (svn > 0) {
        enclaveLevel(levels, svn - 1, d.olderTcbDate(), TcbStatus.OUT_OF_DATE);
      }
    }
    ArrayNode levels = n.putArray("tcbLevels");
    platformLevel(levels, latest, 0, d.tcbDate(), TcbStatus.UP_TO_DATE);
    if (hasOlder(latest)) {
      platformLevel(levels, latest, 1, d.olderTcbDate(), TcbStatus.OUT_OF_DATE);
    }
    return bytes(n);
  }

  static byte[] qeIdentity(Bytes mrSigner, int isvProdId, int latestIsvSvn, Dates d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", "TD_QE").put("version", 2);
    n.put("issueDate", d.issueDate().toString()).put("nextUpdate", d.nextUpdate().toString());
    n.put("tcbEvaluationDataNumber", TCB_EVALUATION_DATA_NUMBER);
    n.put("miscselect", "00000000").put("miscselectMask", "FFFFFFFF");
    n.put("attributes", "11000000000000000000000000000000");
    n.put("attributesMask", "FBFFFFFFFFFFFFFF0000000000000000");
    n.put("mrsigner", mrSigner.toHex().toUpperCase(Locale.ROOT));
    n.put("isvprodid", isvProdId);
    ArrayNode levels = n.putArray("tcbLevels");
    enclaveLevel(levels, latestIsvSvn, d.tcbDate(), TcbStatus.UP_TO_DATE);
    if (latestIsvSvn > 0) {
      enclaveLevel(levels, latestIsvSvn - 1, d.olderTcbDate(), TcbStatus.OUT_OF_DATE);
    }
    return bytes(n);
  }

  private static void putModule(ObjectNode n, Bytes mrSignerSeam) {
    n.put("mrsigner", mrSignerSeam.toHex().toUpperCase(Locale.ROOT));
    n.put("attributes", SEAM_ATTRIBUTES).put("attributesMask", SEAM_ATTRIBUTES_MASK);
  }

  private static void enclaveLevel(ArrayNode levels, int isvSvn, Instant date, TcbStatus s) {
    ObjectNode l = levels.addObject();
    l.putObject("tcb").put("isvsvn", isvSvn);
    l.put("tcbDate", date.toString()).put("tcbStatus", s.jsonName());
  }

  /** A platform level {@code minus} SVNs below {@code p} (never below zero). */
  private static void platformLevel(ArrayNode levels, SimulatedPlatform p, int minus,
      Instant date, TcbStatus s) {
    ObjectNode l = levels.addObject();
    ObjectNode tcb = l.putObject("tcb");
    ArrayNode sgx = tcb.putArray("sgxtcbcomponents");
    for (int i = 0; i < 16; i++) {
      component(sgx, Math.max(0, p.sgxTcbComponents().get(i) - minus), SGX_NAMES, i);
    }
    tcb.put("pcesvn", Math.max(0, p.pceSvn() - minus));
    ArrayNode tdx = tcb.putArray("tdxtcbcomponents");
    for (int i = 0; i < 16; i++) {
      int svn = p.teeTcbSvn().getUnsigned(i);
      component(tdx, i == 1 ? svn : Math.max(0, svn - minus), TDX_NAMES, i);
    }
    l.put("tcbDate", date.toString()).put("tcbStatus", s.jsonName());
  }

  private static boolean hasOlder(SimulatedPlatform p) {
    boolean any = p.pceSvn() > 0;
    for (int i = 0; i < 16; i++) {
      any |= p.sgxTcbComponents().get(i) > 0 || (i != 1 && p.teeTcbSvn().getUnsigned(i) > 0);
    }
    return any;
  }

  private static void component(ArrayNode out, int svn, String[][] names, int i) {
    ObjectNode c = out.addObject().put("svn", svn);
    if (i < names.length && !names[i][0].isEmpty()) {
      c.put("category", names[i][0]);
    }
    if (i < names.length && !names[i][1].isEmpty()) {
      c.put("type", names[i][1]);
    }
  }

  private static byte[] bytes(ObjectNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON encoding of a tree cannot fail", e);
    }
  }
}
