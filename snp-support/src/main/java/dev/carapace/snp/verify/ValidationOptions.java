package dev.carapace.snp.verify;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ReportValidator} requires of a verified report; the options of go-sev-guest's
 * {@code validate.Options}. Built with {@link #builder()}; unset byte fields are not checked.
 *
 * <p>Defaults: debugging, migration agents, CXL and provisional firmware are not allowed; SMT,
 * VCEK and VLEK signers are allowed; no minimum versions; nothing else required. Immutable and
 * thread-safe.
 */
public final class ValidationOptions {
  final Set<SigningKey> allowedSigners;
  final boolean allowDebug;
  final boolean allowSmt;
  final boolean allowMigrationAgent;
  final boolean allowCxl;
  final boolean requireSingleSocket;
  final boolean requireMemAes256Xts;
  final boolean requireRaplDisabled;
  final boolean requireCiphertextHiding;
  final boolean requirePageSwapDisabled;
  final int minimumAbiMajor;
  final int minimumAbiMinor;
  final int minimumFirmwareMajor;
  final int minimumFirmwareMinor;
  final int minimumBuild;
  final long minimumGuestSvn;
  final @Nullable TcbVersion minimumTcb;
  final @Nullable TcbVersion minimumLaunchTcb;
  final boolean permitProvisionalFirmware;
  final @Nullable Integer vmpl;
  final @Nullable Bytes reportData;
  final @Nullable Bytes hostData;
  final @Nullable Bytes measurement;
  final @Nullable Bytes familyId;
  final @Nullable Bytes imageId;
  final @Nullable Bytes reportId;
  final @Nullable Bytes reportIdMa;
  final @Nullable Bytes chipId;
  final boolean requireIdBlock;
  final boolean requireAuthorKey;
  final Set<Bytes> trustedIdKeyDigests;
  final Set<Bytes> trustedAuthorKeyDigests;
  final long platformInfoRequired;
  final long platformInfoForbidden;
  final long minimumLaunchMitigations;
  final long minimumCurrentMitigations;

  private ValidationOptions(Builder b) {
    allowedSigners = Set.copyOf(b.allowedSigners);
    allowDebug = b.allowDebug;
    allowSmt = b.allowSmt;
    allowMigrationAgent = b.allowMigrationAgent;
    allowCxl = b.allowCxl;
    requireSingleSocket = b.requireSingleSocket;
    requireMemAes256Xts = b.requireMemAes256Xts;
    requireRaplDisabled = b.requireRaplDisabled;
    requireCiphertextHiding = b.requireCiphertextHiding;
    requirePageSwapDisabled = b.requirePageSwapDisabled;
    minimumAbiMajor = b.minimumAbiMajor;
    minimumAbiMinor = b.minimumAbiMinor;
    minimumFirmwareMajor = b.minimumFirmwareMajor;
    minimumFirmwareMinor = b.minimumFirmwareMinor;
    minimumBuild = b.minimumBuild;
    minimumGuestSvn = b.minimumGuestSvn;
    minimumTcb = b.minimumTcb;
    minimumLaunchTcb = b.minimumLaunchTcb;
    permitProvisionalFirmware = b.permitProvisionalFirmware;
    vmpl = b.vmpl;
    reportData = b.reportData;
    hostData = b.hostData;
    measurement = b.measurement;
    familyId = b.familyId;
    imageId = b.imageId;
    reportId = b.reportId;
    reportIdMa = b.reportIdMa;
    chipId = b.chipId;
    requireIdBlock = b.requireIdBlock || b.requireAuthorKey;
    requireAuthorKey = b.requireAuthorKey;
    trustedIdKeyDigests = Set.copyOf(b.trustedIdKeyDigests);
    trustedAuthorKeyDigests = Set.copyOf(b.trustedAuthorKeyDigests);
    platformInfoRequired = b.platformInfoRequired;
    platformInfoForbidden = b.platformInfoForbidden;
    minimumLaunchMitigations = b.minimumLaunchMitigations;
    minimumCurrentMitigations = b.minimumCurrentMitigations;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults described in the class comment. */
  public static ValidationOptions defaults() {
    return builder().build();
  }

  public Set<SigningKey> allowedSigners() {
    return allowedSigners;
  }

  public boolean permitProvisionalFirmware() {
    return permitProvisionalFirmware;
  }

  public Optional<Bytes> expectedMeasurement() {
    return Optional.ofNullable(measurement);
  }

  public Optional<Bytes> expectedReportData() {
    return Optional.ofNullable(reportData);
  }

  /** Builds {@link ValidationOptions}; setters check sizes and ranges. Not thread-safe. */
  public static final class Builder {
    private Set<SigningKey> allowedSigners = EnumSet.of(SigningKey.VCEK, SigningKey.VLEK);
    private boolean allowDebug;
    private boolean allowSmt = true;
    private boolean allowMigrationAgent;
    private boolean allowCxl;
    private boolean requireSingleSocket;
    private boolean requireMemAes256Xts;
    private boolean requireRaplDisabled;
    private boolean requireCiphertextHiding;
    private boolean requirePageSwapDisabled;
    private int minimumAbiMajor;
    private int minimumAbiMinor;
    private int minimumFirmwareMajor;
    private int minimumFirmwareMinor;
    private int minimumBuild;
    private long minimumGuestSvn;
    private @Nullable TcbVersion minimumTcb;
    private @Nullable TcbVersion minimumLaunchTcb;
    private boolean permitProvisionalFirmware;
    private @Nullable Integer vmpl;
    private @Nullable Bytes reportData;
    private @Nullable Bytes hostData;
    private @Nullable Bytes measurement;
    private @Nullable Bytes familyId;
    private @Nullable Bytes imageId;
    private @Nullable Bytes reportId;
    private @Nullable Bytes reportIdMa;
    private @Nullable Bytes chipId;
    private boolean requireIdBlock;
    private boolean requireAuthorKey;
    private Set<Bytes> trustedIdKeyDigests = Set.of();
    private Set<Bytes> trustedAuthorKeyDigests = Set.of();
    private long platformInfoRequired;
    private long platformInfoForbidden;
    private long minimumLaunchMitigations;
    private long minimumCurrentMitigations;

    private Builder() {}

    /** Signing keys accepted (default VCEK and VLEK). */
    public Builder allowedSigners(Set<SigningKey> signers) {
      allowedSigners = EnumSet.copyOf(signers);
      return this;
    }

    public Builder allowDebug(boolean allow) {
      allowDebug = allow;
      return this;
    }

    public Builder allowSmt(boolean allow) {
      allowSmt = allow;
      return this;
    }

    public Builder allowMigrationAgent(boolean allow) {
      allowMigrationAgent = allow;
      return this;
    }

    public Builder allowCxl(boolean allow) {
      allowCxl = allow;
      return this;
    }

    public Builder requireSingleSocket(boolean require) {
      requireSingleSocket = require;
      return this;
    }

    public Builder requireMemAes256Xts(boolean require) {
      requireMemAes256Xts = require;
      return this;
    }

    public Builder requireRaplDisabled(boolean require) {
      requireRaplDisabled = require;
      return this;
    }

    public Builder requireCiphertextHiding(boolean require) {
      requireCiphertextHiding = require;
      return this;
    }

    public Builder requirePageSwapDisabled(boolean require) {
      requirePageSwapDisabled = require;
      return this;
    }

    /** Minimum policy ABI version (the firmware ABI the guest owner demanded at launch). */
    public Builder minimumAbi(int major, int minor) {
      minimumAbiMajor = u8(major);
      minimumAbiMinor = u8(minor);
      return this;
    }

    /** Minimum current firmware API version. */
    public Builder minimumFirmware(int major, int minor) {
      minimumFirmwareMajor = u8(major);
      minimumFirmwareMinor = u8(minor);
      return this;
    }

    /** Minimum current firmware build. */
    public Builder minimumBuild(int build) {
      minimumBuild = u8(build);
      return this;
    }

    public Builder minimumGuestSvn(long svn) {
      if (svn < 0 || svn > 0xffff_ffffL) {
        throw new IllegalArgumentException("guest SVN is a u32, got " + svn);
      }
      minimumGuestSvn = svn;
      return this;
    }

    /** Each component of REPORTED_TCB must be at least this one's (its product is ignored). */
    public Builder minimumTcb(TcbVersion tcb) {
      minimumTcb = Objects.requireNonNull(tcb, "tcb");
      return this;
    }

    /** Each component of LAUNCH_TCB must be at least this one's (its product is ignored). */
    public Builder minimumLaunchTcb(TcbVersion tcb) {
      minimumLaunchTcb = Objects.requireNonNull(tcb, "tcb");
      return this;
    }

    /** When true, committed TCB/firmware may be below current; when false they must be equal. */
    public Builder permitProvisionalFirmware(boolean permit) {
      permitProvisionalFirmware = permit;
      return this;
    }

    public Builder vmpl(int required) {
      if (required < 0 || required > 3) {
        throw new IllegalArgumentException("VMPL is 0 to 3, got " + required);
      }
      vmpl = required;
      return this;
    }

    public Builder reportData(Bytes v) {
      reportData = size(v, 64, "reportData");
      return this;
    }

    public Builder hostData(Bytes v) {
      hostData = size(v, 32, "hostData");
      return this;
    }

    public Builder measurement(Bytes v) {
      measurement = size(v, 48, "measurement");
      return this;
    }

    public Builder familyId(Bytes v) {
      familyId = size(v, 16, "familyId");
      return this;
    }

    public Builder imageId(Bytes v) {
      imageId = size(v, 16, "imageId");
      return this;
    }

    public Builder reportId(Bytes v) {
      reportId = size(v, 32, "reportId");
      return this;
    }

    public Builder reportIdMa(Bytes v) {
      reportIdMa = size(v, 32, "reportIdMa");
      return this;
    }

    public Builder chipId(Bytes v) {
      chipId = size(v, 64, "chipId");
      return this;
    }

    /** The ID key must be trusted (directly or through a trusted author key). */
    public Builder requireIdBlock(boolean require) {
      requireIdBlock = require;
      return this;
    }

    /** AUTHOR_KEY_EN must be set and the author key trusted; implies an ID block. */
    public Builder requireAuthorKey(boolean require) {
      requireAuthorKey = require;
      return this;
    }

    /** SHA-384 digests (48 bytes) of trusted ID public keys in AMD's 0x404-byte format. */
    public Builder trustedIdKeyDigests(Collection<Bytes> digests) {
      trustedIdKeyDigests = digests(digests);
      return this;
    }

    /** SHA-384 digests (48 bytes) of trusted author public keys in AMD's 0x404-byte format. */
    public Builder trustedAuthorKeyDigests(Collection<Bytes> digests) {
      trustedAuthorKeyDigests = digests(digests);
      return this;
    }

    /** PLATFORM_INFO bits (see {@code PlatformInfo} constants) that must be set. */
    public Builder platformInfoRequired(long bits) {
      platformInfoRequired = bits;
      return this;
    }

    /** PLATFORM_INFO bits that must be clear. */
    public Builder platformInfoForbidden(long bits) {
      platformInfoForbidden = bits;
      return this;
    }

    /** Bits LAUNCH_MIT_VECTOR must contain (v5 reports; older ones have none). */
    public Builder minimumLaunchMitigations(long bits) {
      minimumLaunchMitigations = bits;
      return this;
    }

    /** Bits CURRENT_MIT_VECTOR must contain (v5 reports; older ones have none). */
    public Builder minimumCurrentMitigations(long bits) {
      minimumCurrentMitigations = bits;
      return this;
    }

    public ValidationOptions build() {
      if ((platformInfoRequired & platformInfoForbidden) != 0) {
        throw new IllegalArgumentException("a PLATFORM_INFO bit is both required and forbidden");
      }
      return new ValidationOptions(this);
    }

    private static int u8(int v) {
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("value must fit in 8 bits, got " + v);
      }
      return v;
    }

    private static Bytes size(Bytes v, int size, String name) {
      if (v.size() != size) {
        throw new IllegalArgumentException(name + " must be " + size + " bytes, got " + v.size());
      }
      return v;
    }

    private static Set<Bytes> digests(Collection<Bytes> digests) {
      for (Bytes d : digests) {
        size(d, 48, "key digest");
      }
      return Set.copyOf(digests);
    }
  }
}
