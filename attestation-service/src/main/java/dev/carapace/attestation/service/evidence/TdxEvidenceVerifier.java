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
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.PckCa;
import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParseException;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.verify.QuoteVerificationException;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.VerifiedCollateral;
import dev.carapace.tdx.verify.VerifiedQuote;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code tdx} verifier: evidence as CoCo's TDX attester sends it, {@code {"quote": base64,
 * "cc_eventlog": base64?}}. The quote is verified with DCAP ({@link QuoteVerifier}: PCK chain to
 * the configured anchors, CRLs, QE identity, TCB Info); a CC event log, when present, must replay
 * to the quote's RTMRs. The TCB status is a claim for the policy, except Revoked, which fails.
 * Thread-safe.
 */
public final class TdxEvidenceVerifier implements EvidenceVerifier {
  private static final int PLATFORM_CACHE_LIMIT = 1024;

  private record Platform(Bytes fmspc, PckCa ca) {}

  private final QuoteVerifier verifier;
  private final CollateralCache collateral;
  private final ObjectMapper mapper;
  private final Map<Bytes, Platform> platforms = new ConcurrentHashMap<>();

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
      Platform p = platform(quote);
      VerifiedCollateral vc = collateral.cached(p.fmspc(), p.ca());
      if (vc == null) {
        // Nothing is fetched for a quote whose PCK chain and signatures do not verify.
        verifier.verifySignatures(quote);
        vc = collateral.load(p.fmspc(), p.ca());
      }
      vq = verifier.verify(quote, vc);
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

  /**
   * FMSPC and CA of the quote's PCK certificate, read without verification only to select
   * collateral: the verifier then checks the chain and that the collateral is for this FMSPC.
   */
  private Platform platform(Quote quote) throws EvidenceException {
    Bytes pem = quote.signatureData().certification().pckCertificationData().data();
    Platform p = platforms.get(pem);
    if (p != null) {
      return p;
    }
    try {
      String text = new String(pem.toByteArray(), StandardCharsets.US_ASCII);
      List<X509Certificate> chain = CollateralDocuments.parseCertificateChain(text);
      if (chain.size() < 2) {
        throw new EvidenceException(Reason.MALFORMED_EVIDENCE,
            "PCK chain must hold 3 certificates, found " + chain.size());
      }
      Bytes fmspc = PckCertExtensions.of(chain.get(0)).fmspc();
      String issuer = chain.get(1).getSubjectX500Principal().getName();
      p = new Platform(fmspc, issuer.contains("Processor") ? PckCa.PROCESSOR : PckCa.PLATFORM);
    } catch (CollateralException e) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, e.reason().name(),
          "malformed PCK certificate chain: " + e.getMessage(), e);
    }
    if (platforms.size() >= PLATFORM_CACHE_LIMIT) {
      platforms.clear();
    }
    platforms.put(pem, p);
    return p;
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
