package dev.carapace.snp.report;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * An SEV-SNP ATTESTATION_REPORT (1184 bytes, versions 2 to 5), every field named. Reserved ranges
 * are not stored: {@link ReportParser} accepts only reports whose reserved bytes are zero, so
 * {@link ReportEncoder} reproduces every accepted input byte for byte.
 *
 * <p>The four TCB values are decoded with the same {@link #product()}, which decides their byte
 * layout (Turin differs from Milan and Genoa). Values are not verified; see
 * {@code dev.carapace.snp.verify}. Immutable.
 *
 * @param version 2, 3, 4 or 5 (offset 0x00)
 * @param guestSvn guest SVN from the ID block (u32, 0x04)
 * @param policy guest policy (0x08)
 * @param familyId family ID from the ID block (16 bytes, 0x10)
 * @param imageId image ID from the ID block (16 bytes, 0x20)
 * @param vmpl VMPL of the requesting guest code, 0 to 3 (0x30)
 * @param signatureAlgo 1 = ECDSA P-384 with SHA-384, the only algorithm defined (0x34)
 * @param currentTcb TCB the platform runs now (0x38)
 * @param platformInfo platform feature bits (0x40)
 * @param signerInfo author key, chip-key masking and signing key (0x48)
 * @param reportData guest-supplied data (64 bytes, 0x50)
 * @param measurement launch digest (48 bytes, 0x90)
 * @param hostData host-supplied data at launch (32 bytes, 0xC0)
 * @param idKeyDigest SHA-384 of the ID public key (48 bytes, 0xE0; zero without ID block)
 * @param authorKeyDigest SHA-384 of the author public key (48 bytes, 0x110)
 * @param reportId report ID of this guest (32 bytes, 0x140)
 * @param reportIdMa report ID of the migration agent (32 bytes, 0x160; all 0xFF without one)
 * @param reportedTcb TCB the VCEK/VLEK was derived for (0x180)
 * @param cpuidFamily combined CPUID family (0x188, v3+; 0 in v2)
 * @param cpuidModel combined CPUID model (0x189, v3+; 0 in v2)
 * @param cpuidStepping CPUID stepping (0x18A, v3+; 0 in v2)
 * @param chipId chip identifier (64 bytes, 0x1A0); zero when masked; Turin uses 8 bytes
 * @param committedTcb committed TCB (0x1E0)
 * @param currentVersion current firmware build, minor, major (0x1E8)
 * @param committedVersion committed firmware build, minor, major (0x1EC)
 * @param launchTcb CURRENT_TCB when the guest was launched or imported (0x1F0)
 * @param launchMitVector mitigations at launch (0x1F8, v5; 0 before)
 * @param currentMitVector mitigations now (0x200, v5; 0 before)
 * @param signatureR ECDSA r, little-endian, zero-padded (72 bytes, 0x2A0)
 * @param signatureS ECDSA s, little-endian, zero-padded (72 bytes, 0x2E8)
 */
public record AttestationReport(
    int version,
    long guestSvn,
    GuestPolicy policy,
    Bytes familyId,
    Bytes imageId,
    int vmpl,
    int signatureAlgo,
    TcbVersion currentTcb,
    PlatformInfo platformInfo,
    SignerInfo signerInfo,
    Bytes reportData,
    Bytes measurement,
    Bytes hostData,
    Bytes idKeyDigest,
    Bytes authorKeyDigest,
    Bytes reportId,
    Bytes reportIdMa,
    TcbVersion reportedTcb,
    int cpuidFamily,
    int cpuidModel,
    int cpuidStepping,
    Bytes chipId,
    TcbVersion committedTcb,
    FirmwareVersion currentVersion,
    FirmwareVersion committedVersion,
    TcbVersion launchTcb,
    long launchMitVector,
    long currentMitVector,
    Bytes signatureR,
    Bytes signatureS) {

  /** Size of a report in bytes. */
  public static final int SIZE = 0x4A0;
  /** The signature covers bytes [0, SIGNED_SIZE). */
  public static final int SIGNED_SIZE = 0x2A0;
  public static final int MIN_VERSION = 2;
  public static final int MAX_VERSION = 5;
  /** SIGNATURE_ALGO value for ECDSA P-384 with SHA-384. */
  public static final int SIGNATURE_ALGO_ECDSA_P384_SHA384 = 1;

  public AttestationReport {
    if (version < MIN_VERSION || version > MAX_VERSION) {
      throw new IllegalArgumentException("version must be 2 to 5, got " + version);
    }
    Fields.u32(guestSvn, "guestSvn");
    Objects.requireNonNull(policy, "policy");
    Bytes.requireSize(familyId, 16, "familyId");
    Bytes.requireSize(imageId, 16, "imageId");
    if (vmpl < 0 || vmpl > 3) {
      throw new IllegalArgumentException("vmpl must be 0 to 3, got " + vmpl);
    }
    if (signatureAlgo != SIGNATURE_ALGO_ECDSA_P384_SHA384) {
      throw new IllegalArgumentException("signatureAlgo must be 1, got " + signatureAlgo);
    }
    Objects.requireNonNull(currentTcb, "currentTcb");
    Objects.requireNonNull(platformInfo, "platformInfo");
    Objects.requireNonNull(signerInfo, "signerInfo");
    Bytes.requireSize(reportData, 64, "reportData");
    Bytes.requireSize(measurement, 48, "measurement");
    Bytes.requireSize(hostData, 32, "hostData");
    Bytes.requireSize(idKeyDigest, 48, "idKeyDigest");
    Bytes.requireSize(authorKeyDigest, 48, "authorKeyDigest");
    Bytes.requireSize(reportId, 32, "reportId");
    Bytes.requireSize(reportIdMa, 32, "reportIdMa");
    Objects.requireNonNull(reportedTcb, "reportedTcb");
    Fields.u8(cpuidFamily, "cpuidFamily");
    Fields.u8(cpuidModel, "cpuidModel");
    Fields.u8(cpuidStepping, "cpuidStepping");
    if (version < 3 && (cpuidFamily | cpuidModel | cpuidStepping) != 0) {
      throw new IllegalArgumentException("CPUID fields are reserved (zero) in version 2");
    }
    Bytes.requireSize(chipId, 64, "chipId");
    Objects.requireNonNull(committedTcb, "committedTcb");
    Objects.requireNonNull(currentVersion, "currentVersion");
    Objects.requireNonNull(committedVersion, "committedVersion");
    Objects.requireNonNull(launchTcb, "launchTcb");
    if (version < 5 && (launchMitVector | currentMitVector) != 0) {
      throw new IllegalArgumentException("mitigation vectors are reserved (zero) before version 5");
    }
    Bytes.requireSize(signatureR, 72, "signatureR");
    Bytes.requireSize(signatureS, 72, "signatureS");
    Product p = currentTcb.product();
    if (reportedTcb.product() != p || committedTcb.product() != p || launchTcb.product() != p) {
      throw new IllegalArgumentException("all TCB values must be decoded for the same product");
    }
  }

  /** The product whose TCB layout decoded this report's TCB values. */
  public Product product() {
    return currentTcb.product();
  }

  /** Product named by the CPUID fields (v3+); empty for v2 or an unknown family/model. */
  public Optional<Product> cpuidProduct() {
    return version >= 3 ? Product.fromCpuid(cpuidFamily, cpuidModel) : Optional.empty();
  }

  public SigningKey signingKey() {
    return signerInfo.signingKey();
  }

  /** This report with its TCB values decoded for {@code other} (same bytes). */
  public AttestationReport withProduct(Product other) {
    if (other == product()) {
      return this;
    }
    return new AttestationReport(version, guestSvn, policy, familyId, imageId, vmpl, signatureAlgo,
        TcbVersion.decode(other, currentTcb.raw()), platformInfo, signerInfo, reportData,
        measurement, hostData, idKeyDigest, authorKeyDigest, reportId, reportIdMa,
        TcbVersion.decode(other, reportedTcb.raw()), cpuidFamily, cpuidModel, cpuidStepping,
        chipId, TcbVersion.decode(other, committedTcb.raw()), currentVersion, committedVersion,
        TcbVersion.decode(other, launchTcb.raw()), launchMitVector, currentMitVector, signatureR,
        signatureS);
  }

  /** Short description without report data or signatures. */
  @Override
  public String toString() {
    return "AttestationReport[version=" + version + ", product=" + product() + ", signer="
        + signerInfo.signingKey() + ", vmpl=" + vmpl + ", measurement=" + measurement
        + ", reportedTcb=" + reportedTcb + "]";
  }
}
