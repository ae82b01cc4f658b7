package dev.carapace.attestation.service.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.evidence.EvidenceException.Reason;
import dev.carapace.tdx.eventlog.EventLog;
import dev.carapace.tdx.eventlog.EventLogParseException;
import dev.carapace.tdx.eventlog.EventLogParser;
import dev.carapace.tdx.eventlog.EventLogReplayException;
import dev.carapace.tdx.eventlog.RtmrComparison;
import dev.carapace.tdx.eventlog.RtmrReplayer;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParseException;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.verify.QuoteVerificationException;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.VerifiedCollateral;
import dev.carapace.tdx.verify.VerifiedSignatures;
import dev.carapace.tdx.verify.VerifiedQuote;
import java.util.Objects;

/**
 * The {@code tdx} verifier: evidence as CoCo's TDX attester sends it, {@code {"quote": base64,
 * "cc_eventlog": base64?}}. The quote is verified with DCAP ({@link QuoteVerifier}: PCK chain to
 * the configured anchors, CRLs, QE identity, TCB Info); a CC event log, when present, must replay
 * to the quote's RTMRs. The TCB status is a claim for the policy, except Revoked, which fails.
 * Thread-safe.
 */
public final class TdxEvidenceVerifier implements EvidenceVerifier {

  private final QuoteVerifier verifier;
  private final CollateralCache collateral;
  private final ObjectMapper mapper;

  TdxEvidenceVerifier(QuoteVerifier verifier, CollateralCache collateral, ObjectMapper mapper) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.collateral = Objects.requireNonNull(collateral, "collateral");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public String tee() {
    return "tdx";
  }

  @Override
  public VerifiedEvidence verify(byte[] evidence) throws EvidenceException {
    ObjectNode json = EvidenceJson.object(mapper, evidence, "tdx");
    byte[] raw = EvidenceJson.base64(EvidenceJson.text(json, "quote", "tdx"), "tdx quote");
    Quote quote;
    try {
      quote = QuoteParser.parse(raw);
    } catch (QuoteParseException e) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, e.reason().name(),
          "malformed TDX quote: " + e.getMessage(), e);
    }
    EventLog log = null;
    JsonNode ccel = json.get("cc_eventlog");
    if (ccel != null && !ccel.isNull()) {
      if (!ccel.isTextual()) {
        throw new EvidenceException(Reason.MALFORMED_EVIDENCE, "cc_eventlog must be a string");
      }
      log = parseEventLog(EvidenceJson.base64(ccel.asText(), "cc_eventlog"));
    }
    VerifiedQuote vq;
    try {
      // Nothing is fetched for a quote whose PCK chain and signatures do not verify.
      VerifiedSignatures sigs = verifier.verifySignatures(quote);
      Bytes fmspc = sigs.pckExtensions().fmspc();
      VerifiedCollateral vc = collateral.cached(fmspc, sigs.pckCa());
      if (vc == null) {
        vc = collateral.load(fmspc, sigs.pckCa());
      }
      vq = verifier.verify(sigs, vc);
    } catch (QuoteVerificationException e) {
      throw new EvidenceException(map(e.reason()), e.reason().name(), e.getMessage(), e);
    } catch (CollateralException e) {
      throw new EvidenceException(e.reason() == CollateralException.Reason.MALFORMED
          ? Reason.COLLATERAL_INVALID : Reason.COLLATERAL_UNAVAILABLE, e.reason().name(),
          "TDX collateral: " + e.getMessage(), e);
    }
    if (log != null) {
      replay(log, vq);
    }
    return new VerifiedEvidence("tdx", TdxClaims.of(vq, log), vq.body().reportData(),
        vq.body().mrConfigId(), false);
  }

  private static EventLog parseEventLog(byte[] data) throws EvidenceException {
    try {
      return EventLogParser.parse(data);
    } catch (EventLogParseException e) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, e.reason().name(),
          "malformed CC event log: " + e.getMessage(), e);
    }
  }

  private static void replay(EventLog log, VerifiedQuote vq) throws EvidenceException {
    RtmrComparison c;
    try {
      c = RtmrReplayer.replay(log).compare(vq.body().rtmrs());
    } catch (EventLogReplayException e) {
      throw new EvidenceException(Reason.EVENT_LOG_MISMATCH, e.reason().name(),
          "CC event log cannot be replayed: " + e.getMessage(), e);
    }
    if (!c.matches()) {
      throw new EvidenceException(Reason.EVENT_LOG_MISMATCH, "CC event log replays to other RTMR"
          + " values than the quote's (RTMR" + c.mismatches().get(0).index() + " differs)");
    }
  }

  static Reason map(QuoteVerificationException.Reason r) {
    return switch (r) {
      case UNSUPPORTED_QE_VENDOR, PCK_CHAIN_MALFORMED, PCK_EXTENSIONS_MALFORMED,
          ATTESTATION_KEY_INVALID -> Reason.MALFORMED_EVIDENCE;
      case UNTRUSTED_ROOT -> Reason.UNTRUSTED_ROOT;
      case CERTIFICATE_SIGNATURE_INVALID, CERTIFICATE_EXPIRED, CERTIFICATE_REVOKED ->
          Reason.CERTIFICATE_INVALID;
      case QE_REPORT_SIGNATURE_INVALID, QE_REPORT_DATA_MISMATCH, QUOTE_SIGNATURE_INVALID ->
          Reason.SIGNATURE_INVALID;
      case COLLATERAL_UNAVAILABLE -> Reason.COLLATERAL_UNAVAILABLE;
      case COLLATERAL_CHAIN_MALFORMED, CRL_INVALID, CRL_EXPIRED, TCB_INFO_SIGNATURE_INVALID,
          TCB_INFO_INVALID, TCB_INFO_EXPIRED, QE_IDENTITY_SIGNATURE_INVALID, QE_IDENTITY_INVALID,
          QE_IDENTITY_EXPIRED, FMSPC_MISMATCH, PCEID_MISMATCH -> Reason.COLLATERAL_INVALID;
      case TDX_MODULE_MISMATCH, TDX_MODULE_IDENTITY_NOT_FOUND, TCB_LEVEL_NOT_FOUND,
          QE_IDENTITY_MISMATCH, QE_TCB_LEVEL_NOT_FOUND -> Reason.TCB_UNRECOGNIZED;
      case TCB_REVOKED -> Reason.TCB_REVOKED;
    };
  }

  @Override
  public String toString() {
    return "TdxEvidenceVerifier[anchors=" + verifier.anchors().roots().size() + "]";
  }

}
