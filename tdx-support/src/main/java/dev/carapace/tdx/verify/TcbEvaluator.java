package dev.carapace.tdx.verify;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.EnclaveTcbLevel;
import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.pcs.QeIdentity;
import dev.carapace.tdx.pcs.TcbInfo;
import dev.carapace.tdx.pcs.TcbLevel;
import dev.carapace.tdx.pcs.TcbStatus;
import dev.carapace.tdx.pcs.TdxModuleIdentity;
import dev.carapace.tdx.quote.EnclaveReportBody;
import dev.carapace.tdx.quote.TdQuoteBody;
import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Intel QVL's TDX TCB evaluation: platform level matching over SGX components, PCESVN and TDX
 * components; TDX module identity; TD relaunch advice (TDX 1.5 bodies); convergence with the QE
 * status. Pure function of its inputs; stateless.
 */
final class TcbEvaluator {
  private TcbEvaluator() {}

  /** Descending order of TCB levels as QVL defines it. */
  static final Comparator<TcbLevel> DESCENDING = ((Comparator<TcbLevel>) (a, b) -> {
    int c = compareSvns(a.sgxComponents(), b.sgxComponents());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.pceSvn(), b.pceSvn());
    return c != 0 ? c : compareSvns(a.tdxComponents(), b.tdxComponents());
  }).reversed();

  /** Checks the QE report against QE Identity and returns the matching QE TCB level. */
  static EnclaveTcbLevel evaluateQe(QeIdentity id, EnclaveReportBody qe)
      throws QuoteVerificationException {
    if (!"TD_QE".equals(id.id()) || id.version() != 2) {
      throw new QuoteVerificationException(Reason.QE_IDENTITY_INVALID,
          "QE Identity must be TD_QE version 2, found " + id.id() + " version " + id.version());
    }
    if (id.miscSelect().size() != 4 || id.miscSelectMask().size() != 4
        || id.attributes().size() != 16 || id.attributesMask().size() != 16
        || id.mrSigner().size() != 32) {
      throw new QuoteVerificationException(Reason.QE_IDENTITY_INVALID,
          "QE Identity miscselect/attributes/mrsigner have wrong sizes");
    }
    long misc = readLe32(id.miscSelect());
    long miscMask = readLe32(id.miscSelectMask());
    if ((qe.miscSelect() & miscMask) != misc) {
      throw new QuoteVerificationException(Reason.QE_IDENTITY_MISMATCH,
          "QE MISCSELECT does not match QE Identity under its mask");
    }
    if (!masked(qe.attributes(), id.attributesMask()).equals(id.attributes())) {
      throw new QuoteVerificationException(Reason.QE_IDENTITY_MISMATCH,
          "QE attributes do not match QE Identity under its mask");
    }
    if (!qe.mrSigner().equals(id.mrSigner())) {
      throw new QuoteVerificationException(Reason.QE_IDENTITY_MISMATCH,
          "QE MRSIGNER " + qe.mrSigner() + " is not " + id.mrSigner());
    }
    if (qe.isvProdId() != id.isvProdId()) {
      throw new QuoteVerificationException(Reason.QE_IDENTITY_MISMATCH,
          "QE ISVPRODID " + qe.isvProdId() + " is not " + id.isvProdId());
    }
    for (EnclaveTcbLevel level : id.tcbLevels()) {
      if (qe.isvSvn() >= level.isvSvn()) {
        return level;
      }
    }
    throw new QuoteVerificationException(Reason.QE_TCB_LEVEL_NOT_FOUND,
        "no QE TCB level for ISVSVN " + qe.isvSvn());
  }

  static TcbEvaluation evaluate(TcbInfo info, PckCertExtensions pck, TdQuoteBody body,
      EnclaveTcbLevel qeLevel) throws QuoteVerificationException {
    if (!"TDX".equals(info.id()) || info.version() != 3) {
      throw new QuoteVerificationException(Reason.TCB_INFO_INVALID,
          "TCB Info must be TDX version 3, found " + info.id() + " version " + info.version());
    }
    if (info.tcbLevels().isEmpty()) {
      throw new QuoteVerificationException(Reason.TCB_INFO_INVALID, "TCB Info has no levels");
    }
    for (TcbLevel l : info.tcbLevels()) {
      if (l.sgxComponents().size() != TcbLevel.COMPONENTS
          || l.tdxComponents().size() != TcbLevel.COMPONENTS) {
        throw new QuoteVerificationException(Reason.TCB_INFO_INVALID,
            "TCB level must have 16 SGX and 16 TDX components, found "
                + l.sgxComponents().size() + " and " + l.tdxComponents().size());
      }
    }
    if (!info.fmspc().equals(pck.fmspc())) {
      throw new QuoteVerificationException(Reason.FMSPC_MISMATCH,
          "TCB Info FMSPC " + info.fmspc() + " is not the PCK certificate's " + pck.fmspc());
    }
    if (!info.pceId().equals(pck.pceId())) {
      throw new QuoteVerificationException(Reason.PCEID_MISMATCH,
          "TCB Info PCEID " + info.pceId() + " is not the PCK certificate's " + pck.pceId());
    }
    Bytes svn = body.teeTcbSvn();
    int moduleVersion = svn.getUnsigned(1);
    TdxModuleIdentity module = moduleIdentity(info, moduleVersion);
    checkModule(module, body);

    List<TcbLevel> levels = new ArrayList<>(info.tcbLevels());
    levels.sort(DESCENDING);
    int from = moduleVersion > 0 ? 2 : 0;
    TcbLevel sgxLevel = null;
    TcbLevel tdxLevel = null;
    for (TcbLevel l : levels) {
      if (!sgxEligible(l, pck)) {
        continue;
      }
      if (sgxLevel == null) {
        sgxLevel = l;
      }
      if (tdxEligible(l, svn, from)) {
        tdxLevel = l;
        break;
      }
    }
    if (sgxLevel == null || tdxLevel == null) {
      throw new QuoteVerificationException(Reason.TCB_LEVEL_NOT_FOUND,
          "no matching TCB level: platform SVNs are below every "
              + (sgxLevel == null ? "SGX/PCESVN" : "TDX") + " level of TCB Info");
    }
    Set<String> advisories = new LinkedHashSet<>(tdxLevel.advisoryIds());
    TcbStatus status = tdxLevel.status();
    TcbStatus moduleStatus = null;
    if (moduleVersion > 0) {
      EnclaveTcbLevel ml = moduleLevel(module, svn.getUnsigned(0));
      moduleStatus = ml.status();
      advisories.addAll(ml.advisoryIds());
      status = converge(status, moduleStatus);
      status = relaunchAdvice(status, sgxLevel.status(), moduleStatus, info, levels, pck, body);
    }
    status = converge(status, qeLevel.status());
    advisories.addAll(qeLevel.advisoryIds());
    if (status == TcbStatus.REVOKED) {
      throw new QuoteVerificationException(Reason.TCB_REVOKED,
          "TCB is revoked (platform " + tdxLevel.status().jsonName() + ", module "
              + (moduleStatus == null ? "-" : moduleStatus.jsonName()) + ", QE "
              + qeLevel.status().jsonName() + ")");
    }
    return new TcbEvaluation(status, tdxLevel.status(), moduleStatus, qeLevel.status(),
        tdxLevel.tcbDate(), List.copyOf(advisories), info.tcbEvaluationDataNumber());
  }

  private static TdxModuleIdentity moduleIdentity(TcbInfo info, int moduleVersion)
      throws QuoteVerificationException {
    if (moduleVersion == 0) {
      return info.tdxModuleValue().orElseThrow(() -> new QuoteVerificationException(
          Reason.TCB_INFO_INVALID, "TCB Info has no tdxModule"));
    }
    String wanted = String.format(Locale.ROOT, "TDX_%02X", moduleVersion);
    for (TdxModuleIdentity m : info.tdxModuleIdentities()) {
      if (m.id().toUpperCase(Locale.ROOT).equals(wanted)) {
        return m;
      }
    }
    throw new QuoteVerificationException(Reason.TDX_MODULE_IDENTITY_NOT_FOUND,
        "TCB Info has no TDX module identity " + wanted);
  }

  private static void checkModule(TdxModuleIdentity module, TdQuoteBody body)
      throws QuoteVerificationException {
    if (!module.mrSigner().equals(body.mrSignerSeam())) {
      throw new QuoteVerificationException(Reason.TDX_MODULE_MISMATCH,
          "MRSIGNERSEAM does not match TDX module identity " + module.id());
    }
    if (module.attributesMask().size() != 8 || module.attributes().size() != 8
        || !masked(body.seamAttributes(), module.attributesMask()).equals(module.attributes())) {
      throw new QuoteVerificationException(Reason.TDX_MODULE_MISMATCH,
          "SEAM attributes do not match TDX module identity " + module.id());
    }
  }

  private static EnclaveTcbLevel moduleLevel(TdxModuleIdentity module, int isvSvn)
      throws QuoteVerificationException {
    for (EnclaveTcbLevel l : module.tcbLevels()) {
      if (isvSvn >= l.isvSvn()) {
        return l;
      }
    }
    throw new QuoteVerificationException(Reason.TCB_LEVEL_NOT_FOUND,
        "no TCB level of TDX module " + module.id() + " for ISVSVN " + isvSvn);
  }

  /**
   * QVL's TD relaunch check: an out-of-date TD whose TDX 1.5 {@code tee_tcb_svn2} (the SVNs a
   * relaunched TD would get) already reaches the newest up-to-date level is told to relaunch.
   */
  private static TcbStatus relaunchAdvice(TcbStatus status, TcbStatus sgxStatus,
      TcbStatus moduleStatus, TcbInfo info, List<TcbLevel> levels, PckCertExtensions pck,
      TdQuoteBody body) {
    if (!body.isTdx15() || moduleStatus != TcbStatus.OUT_OF_DATE
        || (status != TcbStatus.OUT_OF_DATE
            && status != TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED)) {
      return status;
    }
    boolean configNeeded = switch (sgxStatus) {
      case UP_TO_DATE, SW_HARDENING_NEEDED -> false;
      case CONFIGURATION_NEEDED, CONFIGURATION_AND_SW_HARDENING_NEEDED -> true;
      default -> {
        yield false;
      }
    };
    if (sgxStatus != TcbStatus.UP_TO_DATE && sgxStatus != TcbStatus.SW_HARDENING_NEEDED
        && !configNeeded) {
      return status;
    }
    Bytes svn2 = body.teeTcbSvn2Value().orElseThrow();
    int version2 = svn2.getUnsigned(1);
    int from = version2 > 0 ? 2 : 0;
    TcbLevel newest = levels.stream().filter(l -> sgxEligible(l, pck)).findFirst().orElse(null);
    if (newest == null || !tdxEligible(newest, svn2, from)) {
      return status;
    }
    if (version2 > 0) {
      TdxModuleIdentity m2;
      try {
        m2 = moduleIdentity(info, version2);
      } catch (QuoteVerificationException e) {
        return status;
      }
      if (m2.tcbLevels().isEmpty() || svn2.getUnsigned(0) < m2.tcbLevels().get(0).isvSvn()
          || m2.tcbLevels().get(0).status() != TcbStatus.UP_TO_DATE) {
        return status;
      }
    }
    return configNeeded
        ? TcbStatus.TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED : TcbStatus.TD_RELAUNCH_ADVISED;
  }

  /** QVL convergence of a TCB status with a module or QE status. */
  static TcbStatus converge(TcbStatus status, TcbStatus other) {
    if (other == TcbStatus.REVOKED) {
      return TcbStatus.REVOKED;
    }
    if (other == TcbStatus.OUT_OF_DATE) {
      return switch (status) {
        case UP_TO_DATE, SW_HARDENING_NEEDED -> TcbStatus.OUT_OF_DATE;
        case CONFIGURATION_NEEDED, CONFIGURATION_AND_SW_HARDENING_NEEDED ->
            TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED;
        default -> status;
      };
    }
    return status;
  }

  private static boolean sgxEligible(TcbLevel l, PckCertExtensions pck) {
    for (int i = 0; i < TcbLevel.COMPONENTS; i++) {
      if (pck.sgxTcbComponents().get(i) < l.sgxComponents().get(i).svn()) {
        return false;
      }
    }
    return pck.pceSvn() >= l.pceSvn();
  }

  private static boolean tdxEligible(TcbLevel l, Bytes teeTcbSvn, int from) {
    for (int i = from; i < TcbLevel.COMPONENTS; i++) {
      if (teeTcbSvn.getUnsigned(i) < l.tdxComponents().get(i).svn()) {
        return false;
      }
    }
    return true;
  }

  private static int compareSvns(List<dev.carapace.tdx.pcs.TcbComponent> a,
      List<dev.carapace.tdx.pcs.TcbComponent> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(a.get(i).svn(), b.get(i).svn());
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static Bytes masked(Bytes value, Bytes mask) {
    if (value.size() != mask.size()) {
      return Bytes.empty();
    }
    byte[] out = new byte[value.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (value.get(i) & mask.get(i));
    }
    return Bytes.copyOf(out);
  }

  private static long readLe32(Bytes b) {
    return b.getUnsigned(0) | (long) b.getUnsigned(1) << 8 | (long) b.getUnsigned(2) << 16
        | (long) b.getUnsigned(3) << 24;
  }
}
