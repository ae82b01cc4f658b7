package dev.carapace.attestation.service.evidence;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.eventlog.CcEvent;
import dev.carapace.tdx.eventlog.EventDigest;
import dev.carapace.tdx.eventlog.EventLog;
import dev.carapace.tdx.quote.QuoteHeader;
import dev.carapace.tdx.quote.QuoteV5;
import dev.carapace.tdx.quote.TdAttributes;
import dev.carapace.tdx.quote.TdQuoteBody;
import dev.carapace.tdx.verify.VerifiedQuote;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A verified TDX quote as Trustee's verifier names its claims ({@code tdx.quote.header.*},
 * {@code tdx.quote.body.*}, {@code tdx.td_attributes.*}, {@code tdx.tcb_status}, ...), byte fields
 * as lower-case hex of the bytes as they appear in the quote. Stateless.
 */
final class TdxClaims {
  private TdxClaims() {}

  static Map<String, Object> of(VerifiedQuote vq, @Nullable EventLog eventLog) {
    QuoteHeader h = vq.header();
    TdQuoteBody b = vq.body();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("version", le16(h.version()));
    header.put("att_key_type", le16(h.attestationKeyType()));
    header.put("tee_type", le32(h.teeType()));
    header.put("reserved", le16(h.qeSvn()) + le16(h.pceSvn()));
    header.put("vendor_id", h.qeVendorId().toHex());
    header.put("user_data", h.userData().toHex());

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tcb_svn", b.teeTcbSvn().toHex());
    body.put("mr_seam", b.mrSeam().toHex());
    body.put("mrsigner_seam", b.mrSignerSeam().toHex());
    body.put("seam_attributes", b.seamAttributes().toHex());
    body.put("td_attributes", b.tdAttributes().toHex());
    body.put("xfam", b.xfam().toHex());
    body.put("mr_td", b.mrTd().toHex());
    body.put("mr_config_id", b.mrConfigId().toHex());
    body.put("mr_owner", b.mrOwner().toHex());
    body.put("mr_owner_config", b.mrOwnerConfig().toHex());
    for (int i = 0; i < 4; i++) {
      body.put("rtmr_" + i, b.rtmr(i).toHex());
    }
    body.put("report_data", b.reportData().toHex());
    b.teeTcbSvn2Value().ifPresent(v -> body.put("tee_tcb_svn2", v.toHex()));
    b.mrServiceTdValue().ifPresent(v -> body.put("mr_servicetd", v.toHex()));

    Map<String, Object> quote = new LinkedHashMap<>();
    quote.put("header", header);
    quote.put("body", body);
    if (vq.quote() instanceof QuoteV5 v5) {
      quote.put("type", le16(v5.bodyType()));
      quote.put("size", le32(b.encodedSize()));
    }

    TdAttributes a = b.attributes();
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("debug", a.debug());
    attributes.put("septve_disable", a.septVeDisable());
    attributes.put("protection_keys", a.protectionKeys());
    attributes.put("key_locker", a.keyLocker());
    attributes.put("perfmon", a.perfmon());

    Map<String, Object> tdx = new LinkedHashMap<>();
    tdx.put("quote", quote);
    tdx.put("td_attributes", attributes);
    tdx.put("tcb_status", vq.tcbStatus().jsonName());
    tdx.put("advisory_ids", List.copyOf(vq.advisoryIds()));
    tdx.put("collateral_expiration_status", "0");
    tdx.put("tcb_date", vq.tcb().tcbDate().toString());
    tdx.put("tcb_eval_num", vq.tcb().tcbEvaluationDataNumber());
    tdx.put("earliest_expiration_date", vq.collateralExpiry().toString());
    tdx.put("fmspc", vq.pckExtensions().fmspc().toHex());
    tdx.put("sgx_type", vq.pckExtensions().sgxType());
    Bytes instance = vq.pckExtensions().platformInstanceId();
    if (instance != null) {
      tdx.put("platform_instance_id", instance.toHex());
    }
    if (eventLog != null) {
      tdx.put("uefi_event_logs", events(eventLog));
    }
    return tdx;
  }

  /** Events without their data (digests only), to keep tokens small. */
  private static List<Map<String, Object>> events(EventLog log) {
    List<Map<String, Object>> out = new ArrayList<>(log.events().size());
    for (CcEvent e : log.events()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", e.mrIndex());
      m.put("type_name", e.type().name());
      List<Map<String, Object>> digests = new ArrayList<>();
      for (EventDigest d : e.digests()) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("alg", d.algorithm().name());
        dm.put("digest", d.value().toHex());
        digests.add(dm);
      }
      m.put("digests", digests);
      out.add(m);
    }
    return out;
  }

  private static String le16(int v) {
    return String.format("%02x%02x", v & 0xff, (v >>> 8) & 0xff);
  }

  private static String le32(long v) {
    return String.format("%02x%02x%02x%02x", v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff,
        (v >>> 24) & 0xff);
  }
}
