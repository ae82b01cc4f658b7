package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.quote.EnclaveReportBody;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteHeader;
import dev.carapace.tdx.quote.QuoteV5;
import dev.carapace.tdx.quote.TdAttributes;
import dev.carapace.tdx.quote.TdQuoteBody;
import java.io.PrintWriter;

/** Renders quote fields as text or JSON, with Trustee-style snake_case names. */
final class QuoteDescription {
  private QuoteDescription() {}

  static ObjectNode header(QuoteHeader h) {
    ObjectNode n = Json.object();
    n.put("version", h.version());
    n.put("att_key_type", h.attestationKeyType());
    n.put("tee_type", String.format("0x%08x", h.teeType()));
    n.put("qe_svn", h.qeSvn());
    n.put("pce_svn", h.pceSvn());
    n.put("qe_vendor_id", h.qeVendorId().toHex());
    n.put("user_data", h.userData().toHex());
    return n;
  }

  static ObjectNode body(Quote q) {
    TdQuoteBody b = q.body();
    ObjectNode n = Json.object();
    n.put("body_type", q instanceof QuoteV5 v5 ? v5.bodyType() : 2);
    n.put("tee_tcb_svn", b.teeTcbSvn().toHex());
    n.put("mr_seam", b.mrSeam().toHex());
    n.put("mr_signer_seam", b.mrSignerSeam().toHex());
    n.put("seam_attributes", b.seamAttributes().toHex());
    n.put("td_attributes", b.tdAttributes().toHex());
    n.put("xfam", b.xfam().toHex());
    n.put("mr_td", b.mrTd().toHex());
    n.put("mr_config_id", b.mrConfigId().toHex());
    n.put("mr_owner", b.mrOwner().toHex());
    n.put("mr_owner_config", b.mrOwnerConfig().toHex());
    for (int i = 0; i < 4; i++) {
      n.put("rtmr_" + i, b.rtmr(i).toHex());
    }
    n.put("report_data", b.reportData().toHex());
    b.teeTcbSvn2Value().ifPresent(v -> n.put("tee_tcb_svn2", v.toHex()));
    b.mrServiceTdValue().ifPresent(v -> n.put("mr_servicetd", v.toHex()));
    TdAttributes a = b.attributes();
    ObjectNode attrs = n.putObject("td_attributes_decoded");
    attrs.put("debug", a.debug());
    attrs.put("septve_disable", a.septVeDisable());
    attrs.put("protection_keys", a.protectionKeys());
    attrs.put("key_locker", a.keyLocker());
    attrs.put("perfmon", a.perfmon());
    return n;
  }

  static ObjectNode qeReport(EnclaveReportBody r) {
    ObjectNode n = Json.object();
    n.put("mr_enclave", r.mrEnclave().toHex());
    n.put("mr_signer", r.mrSigner().toHex());
    n.put("isv_prod_id", r.isvProdId());
    n.put("isv_svn", r.isvSvn());
    n.put("attributes", r.attributes().toHex());
    n.put("misc_select", String.format("0x%08x", r.miscSelect()));
    return n;
  }

  static ObjectNode pck(PckCertExtensions p) {
    ObjectNode n = Json.object();
    n.put("fmspc", p.fmspc().toHex());
    n.put("pce_id", p.pceId().toHex());
    n.put("pce_svn", p.pceSvn());
    n.put("cpu_svn", p.cpuSvn().toHex());
    n.putPOJO("sgx_tcb_components", p.sgxTcbComponents());
    n.put("sgx_type", p.sgxType());
    return n;
  }

  /** The CN of a certificate's subject, or "" when there is none. */
  static String commonName(java.security.cert.X509Certificate cert) {
    for (String part : cert.getSubjectX500Principal().getName().split(",")) {
      String t = part.trim();
      if (t.startsWith("CN=")) {
        return t.substring(3);
      }
    }
    return "";
  }

  /** Prints an object node as aligned "key: value" lines under a heading. */
  static void printSection(PrintWriter out, String heading, ObjectNode node) {
    out.println(heading + ":");
    node.fields().forEachRemaining(e -> {
      String value = e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString();
      out.printf("  %-22s %s%n", e.getKey(), value);
    });
  }
}
