package dev.carapace.snp.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.GuestPolicy;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a simulated guest asks to have reported: its launch-time values (policy, measurement,
 * host data, ID block) and the request itself (report data, VMPL, which key signs). Build one
 * with {@link #builder()}; defaults: version 5, VCEK, policy 0x30000 (SMT allowed, ABI 0.0), VMPL
 * 0, every digest, ID and data field zero, REPORT_ID random per report, REPORT_ID_MA all 0xFF (no
 * migration agent), chip ID not masked, launch TCB and mitigations the chip's current ones.
 * Immutable.
 *
 * @param version report version, 2 to 5 (CPUID fields from 3, mitigation vectors from 5)
 * @param signingKey VCEK or VLEK
 * @param policy guest policy the VM was launched with
 * @param vmpl VMPL of the requesting guest code, 0 to 3
 * @param reportData 64 bytes chosen by the guest
 * @param measurement 48-byte launch digest
 * @param hostData 32 bytes from the host at launch
 * @param familyId 16 bytes from the ID block
 * @param imageId 16 bytes from the ID block
 * @param guestSvn guest SVN from the ID block (u32)
 * @param idKeyDigest 48-byte SHA-384 of the ID key
 * @param authorKeyDigest 48-byte SHA-384 of the author key
 * @param authorKeyEnabled SIGNER_INFO AUTHOR_KEY_EN
 * @param maskChipId SIGNER_INFO MASK_CHIP_KEY: CHIP_ID is reported as zeros
 * @param reportId 32 bytes, or null for random bytes in each report
 * @param reportIdMa 32 bytes
 * @param launchTcb LAUNCH_TCB, or null for the chip's current TCB
 * @param launchMitigations LAUNCH_MIT_VECTOR (v5), or null for the chip's current mitigations
 */
public record SnpReportRequest(
    int version,
    SigningKey signingKey,
    GuestPolicy policy,
    int vmpl,
    Bytes reportData,
    Bytes measurement,
    Bytes hostData,
    Bytes familyId,
    Bytes imageId,
    long guestSvn,
    Bytes idKeyDigest,
    Bytes authorKeyDigest,
    boolean authorKeyEnabled,
    boolean maskChipId,
    @Nullable Bytes reportId,
    Bytes reportIdMa,
    @Nullable TcbVersion launchTcb,
    @Nullable Long launchMitigations) {

  /** SMT allowed, reserved bit 17 set, ABI 0.0: the policy QEMU uses by default. */
  public static final GuestPolicy DEFAULT_POLICY = GuestPolicy.fromRaw(0x30000);
  public static final int DEFAULT_VERSION = 5;

  public SnpReportRequest {
    if (version < 2 || version > 5) {
      throw new IllegalArgumentException("version must be 2 to 5, got " + version);
    }
    Objects.requireNonNull(signingKey, "signingKey");
    if (signingKey == SigningKey.NONE) {
      throw new IllegalArgumentException("the simulator signs with a VCEK or a VLEK");
    }
    Objects.requireNonNull(policy, "policy");
    if (vmpl < 0 || vmpl > 3) {
      throw new IllegalArgumentException("vmpl must be 0 to 3, got " + vmpl);
    }
    size(reportData, 64, "reportData");
    size(measurement, 48, "measurement");
    size(hostData, 32, "hostData");
    size(familyId, 16, "familyId");
    size(imageId, 16, "imageId");
    if (guestSvn < 0 || guestSvn > 0xffff_ffffL) {
      throw new IllegalArgumentException("guestSvn must fit in 32 bits, got " + guestSvn);
    }
    size(idKeyDigest, 48, "idKeyDigest");
    size(authorKeyDigest, 48, "authorKeyDigest");
    if (reportId != null) {
      size(reportId, 32, "reportId");
    }
    size(reportIdMa, 32, "reportIdMa");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A request with {@code reportData} and every other field at its default. */
  public static SnpReportRequest of(Bytes reportData) {
    return builder().reportData(reportData).build();
  }

  public Optional<Bytes> reportIdValue() {
    return Optional.ofNullable(reportId);
  }

  public Optional<TcbVersion> launchTcbValue() {
    return Optional.ofNullable(launchTcb);
  }

  public Optional<Long> launchMitigationsValue() {
    return Optional.ofNullable(launchMitigations);
  }

  /** This request as a builder, to change some fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.version = version;
    b.signingKey = signingKey;
    b.policy = policy;
    b.vmpl = vmpl;
    b.reportData = reportData;
    b.measurement = measurement;
    b.hostData = hostData;
    b.familyId = familyId;
    b.imageId = imageId;
    b.guestSvn = guestSvn;
    b.idKeyDigest = idKeyDigest;
    b.authorKeyDigest = authorKeyDigest;
    b.authorKeyEnabled = authorKeyEnabled;
    b.maskChipId = maskChipId;
    b.reportId = reportId;
    b.reportIdMa = reportIdMa;
    b.launchTcb = launchTcb;
    b.launchMitigations = launchMitigations;
    return b;
  }

  private static void size(Bytes b, int n, String name) {
    Objects.requireNonNull(b, name);
    if (b.size() != n) {
      throw new IllegalArgumentException(name + " must be " + n + " bytes, got " + b.size());
    }
  }

  /** Mutable builder; not thread-safe. Values are checked by {@link #build()}. */
  public static final class Builder {
    private int version = DEFAULT_VERSION;
    private SigningKey signingKey = SigningKey.VCEK;
    private GuestPolicy policy = DEFAULT_POLICY;
    private int vmpl;
    private Bytes reportData = Bytes.zeros(64);
    private Bytes measurement = Bytes.zeros(48);
    private Bytes hostData = Bytes.zeros(32);
    private Bytes familyId = Bytes.zeros(16);
    private Bytes imageId = Bytes.zeros(16);
    private long guestSvn;
    private Bytes idKeyDigest = Bytes.zeros(48);
    private Bytes authorKeyDigest = Bytes.zeros(48);
    private boolean authorKeyEnabled;
    private boolean maskChipId;
    private @Nullable Bytes reportId;
    private Bytes reportIdMa = allOnes(32);
    private @Nullable TcbVersion launchTcb;
    private @Nullable Long launchMitigations;

    private Builder() {}

    public Builder version(int v) {
      version = v;
      return this;
    }

    public Builder signingKey(SigningKey v) {
      signingKey = v;
      return this;
    }

    public Builder policy(GuestPolicy v) {
      policy = v;
      return this;
    }

    /** Policy from its raw u64 (bit 17 must be set). */
    public Builder policy(long raw) {
      policy = GuestPolicy.fromRaw(raw);
      return this;
    }

    public Builder vmpl(int v) {
      vmpl = v;
      return this;
    }

    public Builder reportData(Bytes v) {
      reportData = v;
      return this;
    }

    public Builder measurement(Bytes v) {
      measurement = v;
      return this;
    }

    public Builder hostData(Bytes v) {
      hostData = v;
      return this;
    }

    public Builder familyId(Bytes v) {
      familyId = v;
      return this;
    }

    public Builder imageId(Bytes v) {
      imageId = v;
      return this;
    }

    public Builder guestSvn(long v) {
      guestSvn = v;
      return this;
    }

    public Builder idKeyDigest(Bytes v) {
      idKeyDigest = v;
      return this;
    }

    /** The author key digest; also sets AUTHOR_KEY_EN. */
    public Builder authorKeyDigest(Bytes v) {
      authorKeyDigest = v;
      authorKeyEnabled = true;
      return this;
    }

    public Builder authorKeyEnabled(boolean v) {
      authorKeyEnabled = v;
      return this;
    }

    public Builder maskChipId(boolean v) {
      maskChipId = v;
      return this;
    }

    public Builder reportId(@Nullable Bytes v) {
      reportId = v;
      return this;
    }

    public Builder reportIdMa(Bytes v) {
      reportIdMa = v;
      return this;
    }

    public Builder launchTcb(@Nullable TcbVersion v) {
      launchTcb = v;
      return this;
    }

    public Builder launchMitigations(@Nullable Long v) {
      launchMitigations = v;
      return this;
    }

    public SnpReportRequest build() {
      return new SnpReportRequest(version, signingKey, policy, vmpl, reportData, measurement,
          hostData, familyId, imageId, guestSvn, idKeyDigest, authorKeyDigest, authorKeyEnabled,
          maskChipId, reportId, reportIdMa, launchTcb, launchMitigations);
    }

    private static Bytes allOnes(int n) {
      byte[] b = new byte[n];
      Arrays.fill(b, (byte) 0xff);
      return Bytes.copyOf(b);
    }
  }
}
