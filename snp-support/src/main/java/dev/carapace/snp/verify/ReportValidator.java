package dev.carapace.snp.verify;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.FirmwareVersion;
import dev.carapace.snp.report.GuestPolicy;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ReportValidationException.Reason;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks a {@link VerifiedReport} against {@link ValidationOptions}, as go-sev-guest's
 * {@code validate.SnpAttestation} does: guest policy, verbatim fields, TCB relations, firmware
 * versions, platform info, ID/author keys, VMPL and mitigation vectors. Always checked,
 * whatever the options: the certified TCB is not above CURRENT_TCB, and committed TCB and
 * firmware are not above current ones.
 *
 * <p>Throws {@link ReportValidationException} with the reason of the first rule broken.
 * Stateless apart from its options; thread-safe.
 */
public final class ReportValidator {
  private final ValidationOptions o;

  public ReportValidator(ValidationOptions options) {
    this.o = Objects.requireNonNull(options, "options");
  }

  public ValidationOptions options() {
    return o;
  }

  public void validate(VerifiedReport verified) throws ReportValidationException {
    AttestationReport r = verified.report();
    if (!o.allowedSigners.contains(verified.signingKey())) {
      fail(Reason.SIGNER_NOT_ALLOWED, "reports signed by a " + verified.signingKey()
          + " are not accepted, only " + o.allowedSigners);
    }
    validatePolicy(r.policy());
    if (r.guestSvn() < o.minimumGuestSvn) {
      fail(Reason.GUEST_SVN_TOO_LOW,
          "GUEST_SVN " + r.guestSvn() + " is below the minimum " + o.minimumGuestSvn);
    }
    validateFields(r);
    validateTcb(r, verified.certifiedTcb());
    validateFirmware(r.currentVersion(), r.committedVersion());
    long info = r.platformInfo().raw();
    if ((info & o.platformInfoRequired) != o.platformInfoRequired) {
      fail(Reason.PLATFORM_INFO_BIT_MISSING, String.format("PLATFORM_INFO 0x%x lacks bits 0x%x",
          info, o.platformInfoRequired & ~info));
    }
    if ((info & o.platformInfoForbidden) != 0) {
      fail(Reason.PLATFORM_INFO_BIT_FORBIDDEN, String.format(
          "PLATFORM_INFO 0x%x has forbidden bits 0x%x", info, info & o.platformInfoForbidden));
    }
    validateKeys(r);
    if (o.vmpl != null && r.vmpl() != o.vmpl) {
      fail(Reason.VMPL_MISMATCH, "VMPL is " + r.vmpl() + ", required " + o.vmpl);
    }
    if ((r.launchMitVector() & o.minimumLaunchMitigations) != o.minimumLaunchMitigations) {
      fail(Reason.LAUNCH_MITIGATION_MISSING, String.format(
          "LAUNCH_MIT_VECTOR 0x%x lacks 0x%x", r.launchMitVector(), o.minimumLaunchMitigations));
    }
    if ((r.currentMitVector() & o.minimumCurrentMitigations) != o.minimumCurrentMitigations) {
      fail(Reason.CURRENT_MITIGATION_MISSING, String.format(
          "CURRENT_MIT_VECTOR 0x%x lacks 0x%x", r.currentMitVector(), o.minimumCurrentMitigations));
    }
  }

  private void validatePolicy(GuestPolicy p) throws ReportValidationException {
    int abi = p.abiMajor() << 8 | p.abiMinor();
    if (abi < (o.minimumAbiMajor << 8 | o.minimumAbiMinor)) {
      fail(Reason.ABI_TOO_OLD, "policy ABI " + p.abiMajor() + "." + p.abiMinor()
          + " is below the minimum " + o.minimumAbiMajor + "." + o.minimumAbiMinor);
    }
    if (p.migrateMa() && !o.allowMigrationAgent) {
      fail(Reason.MIGRATION_AGENT_NOT_ALLOWED, "policy allows a migration agent");
    }
    if (p.debug() && !o.allowDebug) {
      fail(Reason.DEBUG_NOT_ALLOWED, "policy allows debugging");
    }
    if (p.smt() && !o.allowSmt) {
      fail(Reason.SMT_NOT_ALLOWED, "policy allows SMT");
    }
    if (p.cxlAllow() && !o.allowCxl) {
      fail(Reason.CXL_NOT_ALLOWED, "policy allows CXL");
    }
    require(o.requireSingleSocket, p.singleSocket(), Reason.SINGLE_SOCKET_REQUIRED);
    require(o.requireMemAes256Xts, p.memAes256Xts(), Reason.MEM_AES_256_XTS_REQUIRED);
    require(o.requireRaplDisabled, p.raplDis(), Reason.RAPL_DISABLE_REQUIRED);
    require(o.requireCiphertextHiding, p.ciphertextHiding(), Reason.CIPHERTEXT_HIDING_REQUIRED);
    require(o.requirePageSwapDisabled, p.pageSwapDisable(), Reason.PAGE_SWAP_DISABLE_REQUIRED);
  }

  private void validateFields(AttestationReport r) throws ReportValidationException {
    same(o.reportData, r.reportData(), Reason.REPORT_DATA_MISMATCH, "REPORT_DATA");
    same(o.hostData, r.hostData(), Reason.HOST_DATA_MISMATCH, "HOST_DATA");
    same(o.measurement, r.measurement(), Reason.MEASUREMENT_MISMATCH, "MEASUREMENT");
    same(o.familyId, r.familyId(), Reason.FAMILY_ID_MISMATCH, "FAMILY_ID");
    same(o.imageId, r.imageId(), Reason.IMAGE_ID_MISMATCH, "IMAGE_ID");
    same(o.reportId, r.reportId(), Reason.REPORT_ID_MISMATCH, "REPORT_ID");
    same(o.reportIdMa, r.reportIdMa(), Reason.REPORT_ID_MA_MISMATCH, "REPORT_ID_MA");
    same(o.chipId, r.chipId(), Reason.CHIP_ID_MISMATCH, "CHIP_ID");
  }

  private void validateTcb(AttestationReport r, TcbVersion certified)
      throws ReportValidationException {
    if (!r.currentTcb().isAtLeast(r.committedTcb())) {
      fail(Reason.COMMITTED_ABOVE_CURRENT, "COMMITTED_TCB " + r.committedTcb()
          + " is above CURRENT_TCB " + r.currentTcb());
    }
    if (!o.permitProvisionalFirmware && r.committedTcb().raw() != r.currentTcb().raw()) {
      fail(Reason.PROVISIONAL_FIRMWARE, "COMMITTED_TCB " + r.committedTcb()
          + " differs from CURRENT_TCB " + r.currentTcb() + " (provisional firmware)");
    }
    if (!r.currentTcb().isAtLeast(certified)) {
      fail(Reason.CERTIFIED_TCB_ABOVE_CURRENT, "certified TCB " + certified
          + " is above CURRENT_TCB " + r.currentTcb());
    }
    if (o.minimumTcb != null && !r.reportedTcb().isAtLeast(o.minimumTcb)) {
      fail(Reason.TCB_TOO_LOW, "REPORTED_TCB " + r.reportedTcb() + " is below the minimum "
          + o.minimumTcb);
    }
    if (o.minimumLaunchTcb != null && !r.launchTcb().isAtLeast(o.minimumLaunchTcb)) {
      fail(Reason.LAUNCH_TCB_TOO_LOW, "LAUNCH_TCB " + r.launchTcb() + " is below the minimum "
          + o.minimumLaunchTcb);
    }
  }

  private void validateFirmware(FirmwareVersion current, FirmwareVersion committed)
      throws ReportValidationException {
    if (current.build() < o.minimumBuild) {
      fail(Reason.BUILD_TOO_OLD, "firmware build " + current.build() + " is below the minimum "
          + o.minimumBuild);
    }
    if ((current.major() << 8 | current.minor())
        < (o.minimumFirmwareMajor << 8 | o.minimumFirmwareMinor)) {
      fail(Reason.FIRMWARE_TOO_OLD, "firmware " + current.major() + "." + current.minor()
          + " is below the minimum " + o.minimumFirmwareMajor + "." + o.minimumFirmwareMinor);
    }
    int api = committed.compareApiVersion(current);
    int build = Integer.compare(committed.build(), current.build());
    if (api > 0 || build > 0) {
      fail(Reason.COMMITTED_ABOVE_CURRENT,
          "committed firmware " + committed + " is above current " + current);
    }
    if (!o.permitProvisionalFirmware && (api != 0 || build != 0)) {
      fail(Reason.PROVISIONAL_FIRMWARE, "committed firmware " + committed
          + " differs from current " + current + " (provisional firmware)");
    }
  }

  /** go-sev-guest {@code validateKeys}: author key, then ID key directly or via the author. */
  private void validateKeys(AttestationReport r) throws ReportValidationException {
    boolean authorEn = r.signerInfo().authorKeyEn();
    if (o.requireAuthorKey && !authorEn) {
      fail(Reason.AUTHOR_KEY_REQUIRED, "AUTHOR_KEY_EN is clear");
    }
    if (!o.requireIdBlock) {
      return;
    }
    boolean authorTrusted = authorEn && o.trustedAuthorKeyDigests.contains(r.authorKeyDigest());
    if (o.requireAuthorKey && !authorTrusted) {
      fail(Reason.UNTRUSTED_AUTHOR_KEY, "author key digest " + r.authorKeyDigest()
          + " is not trusted");
    }
    if (!authorTrusted && !o.trustedIdKeyDigests.contains(r.idKeyDigest())) {
      fail(Reason.UNTRUSTED_ID_KEY, "ID key digest " + r.idKeyDigest() + " is not trusted");
    }
  }

  private static void require(boolean required, boolean present, Reason reason)
      throws ReportValidationException {
    if (required && !present) {
      fail(reason, "required guest policy bit is clear");
    }
  }

  private static void same(@Nullable Bytes expected, Bytes actual, Reason reason, String field)
      throws ReportValidationException {
    if (expected != null && !expected.equals(actual)) {
      fail(reason, field + " is " + actual + ", expected " + expected);
    }
  }

  private static void fail(Reason reason, String message) throws ReportValidationException {
    throw new ReportValidationException(reason, message);
  }
}
