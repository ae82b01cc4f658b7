package dev.carapace.tdx.verify;

import static dev.carapace.tdx.verify.TestCollateral.verifierAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.tdx.Vectors;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.quote.TdAttributes;
import dev.carapace.tdx.quote.TdQuoteBody;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Trustee's verifier test data: claims it derives from a quote, and its newer collateral. */
class TrusteeVectorsTest {

  @Test
  void parseWhenTrusteeQuote4ThenFieldsEqualTrusteeExpectedClaims() throws Exception {
    JsonNode expected = new ObjectMapper()
        .readTree(Vectors.read("trustee-tdx/parse_tdx_claims_expected.json"));
    Quote q = QuoteParser.parse(Vectors.read("trustee-tdx/tdx_quote_4.dat"));
    JsonNode body = expected.at("/quote/body");
    TdQuoteBody b = q.body();
    assertThat(b.mrConfigId().toHex()).isEqualTo(body.get("mr_config_id").asText());
    assertThat(b.mrOwner().toHex()).isEqualTo(body.get("mr_owner").asText());
    assertThat(b.mrOwnerConfig().toHex()).isEqualTo(body.get("mr_owner_config").asText());
    assertThat(b.mrSeam().toHex()).isEqualTo(body.get("mr_seam").asText());
    assertThat(b.mrTd().toHex()).isEqualTo(body.get("mr_td").asText());
    assertThat(b.mrSignerSeam().toHex()).isEqualTo(body.get("mrsigner_seam").asText());
    assertThat(b.reportData().toHex()).isEqualTo(body.get("report_data").asText());
    for (int i = 0; i < 4; i++) {
      assertThat(b.rtmr(i).toHex()).isEqualTo(body.get("rtmr_" + i).asText());
    }
    assertThat(b.seamAttributes().toHex()).isEqualTo(body.get("seam_attributes").asText());
    assertThat(b.teeTcbSvn().toHex()).isEqualTo(body.get("tcb_svn").asText());
    assertThat(b.tdAttributes().toHex()).isEqualTo(body.get("td_attributes").asText());
    assertThat(b.xfam().toHex()).isEqualTo(body.get("xfam").asText());
    JsonNode header = expected.at("/quote/header");
    assertThat(q.header().userData().toHex()).isEqualTo(header.get("user_data").asText());
    assertThat(q.header().qeVendorId().toHex()).isEqualTo(header.get("vendor_id").asText());
    assertThat(q.header().version()).isEqualTo(4);
    assertThat(b.mrConfigId().toHex()).isEqualTo(expected.get("init_data").asText());
    TdAttributes a = b.attributes();
    JsonNode attrs = expected.get("td_attributes");
    assertThat(a.debug()).isEqualTo(attrs.get("debug").asBoolean()).isTrue();
    assertThat(a.keyLocker()).isEqualTo(attrs.get("key_locker").asBoolean());
    assertThat(a.perfmon()).isEqualTo(attrs.get("perfmon").asBoolean());
    assertThat(a.protectionKeys()).isEqualTo(attrs.get("protection_keys").asBoolean());
    assertThat(a.septVeDisable()).isEqualTo(attrs.get("septve_disable").asBoolean());
    VerifiedSignatures s =
        verifierAt(Instant.parse("2026-03-01T00:00:00Z")).verifySignatures(q);
    // Trustee reports the PlatformInstanceID octets in reverse order (as a little-endian
    // integer); the certificate holds 021ac64d...5482. Keep both facts pinned.
    byte[] raw = s.pckExtensions().platformInstanceId().toByteArray();
    byte[] reversed = new byte[raw.length];
    for (int i = 0; i < raw.length; i++) {
      reversed[i] = raw[raw.length - 1 - i];
    }
    assertThat(s.pckExtensions().platformInstanceId().toHex())
        .isEqualTo("021ac64d355ba904e2d5948d228d5482");
    assertThat(dev.carapace.attestation.model.Bytes.copyOf(reversed).toHex())
        .isEqualTo(expected.get("platform_instance_id").asText());
  }

  @Test
  void verifyCollateralWhenTrusteeTcbInfoAndQeIdentityThenSignedByRenewedTcbSigningKey()
      throws Exception {
    // Trustee ships the documents without their issuer chain; the renewed "Intel SGX TCB
    // Signing" certificate (same key as 2018's) comes from dcap-qvl's 2026 collateral.
    Collateral dq = TestCollateral.dcapQvl("tdx_quote_outdated_collateral.json");
    Collateral c = new Collateral(dq.pckCrlIssuerChain(), dq.rootCaCrl(), dq.pckCrl(),
        dq.tcbInfoIssuerChain(),
        CollateralDocuments.parseTcbInfoResponse(Vectors.read("trustee-tdx/tcbInfo.json")),
        dq.qeIdentityIssuerChain(),
        CollateralDocuments.parseQeIdentityResponse(
            Vectors.read("trustee-tdx/enclaveIdentity.json")));
    QuoteVerifier v = verifierAt(Instant.parse("2025-11-01T00:00:00Z"));
    VerifiedCollateral vc = v.verifyCollateral(c);
    assertThat(vc.collateral().tcbInfo().value().fmspc().toHex()).isEqualTo("00a06d080000");
    assertThat(vc.collateral().tcbInfo().value().tcbEvaluationDataNumber()).isEqualTo(17);
    // Quote 6 is the one that matches this TCB Info: same FMSPC, and its platform matches a level.
    Quote q6 = QuoteParser.parse(Vectors.read("trustee-tdx/tdx_quote_6.dat"));
    VerifiedSignatures s = v.verifySignatures(q6);
    assertThat(s.pckExtensions().fmspc()).isEqualTo(vc.collateral().tcbInfo().value().fmspc());
    TcbEvaluation tcb = TcbEvaluator.evaluate(vc.collateral().tcbInfo().value(),
        s.pckExtensions(), q6.body(), TcbEvaluator.evaluateQe(
            vc.collateral().qeIdentity().value(), q6.signatureData().certification().qeReport()));
    assertThat(tcb.tcbEvaluationDataNumber()).isEqualTo(17);
    // Derived independently (a Python walk of tcbInfo.json with the quote's tee_tcb_svn
    // 05030200..., PCK SGX components 2,2,7,7,4,1,0,2, PCESVN 11 and QE ISVSVN 7): the first
    // matching platform level is OutOfDate (tcbDate 2018-01-04), module TDX_03 and QE UpToDate.
    assertThat(tcb.platformStatus()).isEqualTo(dev.carapace.tdx.pcs.TcbStatus.OUT_OF_DATE);
    assertThat(tcb.tdxModuleStatusValue()).contains(dev.carapace.tdx.pcs.TcbStatus.UP_TO_DATE);
    assertThat(tcb.qeStatus()).isEqualTo(dev.carapace.tdx.pcs.TcbStatus.UP_TO_DATE);
    assertThat(tcb.status()).isEqualTo(dev.carapace.tdx.pcs.TcbStatus.OUT_OF_DATE);
    assertThat(tcb.tcbDate()).isEqualTo(Instant.parse("2018-01-04T00:00:00Z"));
    assertThat(q6.body().reportData().slice(48, 16).isAllZero()).isTrue();
  }
}
