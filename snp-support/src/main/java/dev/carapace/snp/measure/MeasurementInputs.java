package dev.carapace.snp.measure;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Everything that determines a launch digest; the fields mirror sev-snp-measure's options
 * ({@code --mode --ovmf --kernel --initrd --append --vcpus --vcpu-type/--vcpu-sig --vmm-type
 * --guest-features --snp-ovmf-hash}). Consistency is checked by {@link LaunchDigestCalculator}.
 *
 * @param mode the measurement algorithm (SEV-SNP by default)
 * @param ovmf the whole OVMF firmware image as mapped below 4 GiB
 * @param kernel kernel image for measured direct boot; null for none
 * @param initrd initrd (needs a kernel); null hashes as empty
 * @param append kernel command line without the NUL (needs a kernel); null hashes as empty
 * @param vcpus number of vCPUs (one VMSA each), at most {@link LaunchDigestCalculator#MAX_VCPUS};
 *     ignored for SEV
 * @param vcpuSignature CPUID signature placed in RDX; required for QEMU in SEV-ES/SNP mode,
 *     ignored for EC2/GCE (they use 0x600)
 * @param guestFeatures the SNP VMSA SEV_FEATURES (default 0x1; 0x21 with DebugSwap); SEV-ES
 *     always measures 0
 * @param ovmfHash SNP only: a precomputed digest of the OVMF pages to start from instead of
 *     measuring {@code ovmf}'s contents (its metadata is still used)
 */
public record MeasurementInputs(
    SevMode mode,
    Bytes ovmf,
    @Nullable Bytes kernel,
    @Nullable Bytes initrd,
    @Nullable String append,
    int vcpus,
    OptionalInt vcpuSignature,
    VmmType vmmType,
    long guestFeatures,
    @Nullable Bytes ovmfHash) {

  /** The sev-snp-measure default for {@code --guest-features}: SNP active only. */
  public static final long DEFAULT_GUEST_FEATURES = 0x1;

  public MeasurementInputs {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(ovmf, "ovmf");
    Objects.requireNonNull(vcpuSignature, "vcpuSignature");
    Objects.requireNonNull(vmmType, "vmmType");
  }

  /** A builder for SEV-SNP, 1 vCPU, QEMU, guest features 0x1, no kernel. */
  public static Builder builder(Bytes ovmf) {
    return new Builder(ovmf);
  }

  /** Fluent builder; every setter maps to one command-line option. */
  public static final class Builder {
    private SevMode mode = SevMode.SEV_SNP;
    private final Bytes ovmf;
    private @Nullable Bytes kernel;
    private @Nullable Bytes initrd;
    private @Nullable String append;
    private int vcpus = 1;
    private OptionalInt vcpuSignature = OptionalInt.empty();
    private VmmType vmmType = VmmType.QEMU;
    private long guestFeatures = DEFAULT_GUEST_FEATURES;
    private @Nullable Bytes ovmfHash;

    private Builder(Bytes ovmf) {
      this.ovmf = Objects.requireNonNull(ovmf, "ovmf");
    }

    public Builder mode(SevMode mode) {
      this.mode = mode;
      return this;
    }

    public Builder kernel(@Nullable Bytes kernel) {
      this.kernel = kernel;
      return this;
    }

    public Builder initrd(@Nullable Bytes initrd) {
      this.initrd = initrd;
      return this;
    }

    public Builder append(@Nullable String append) {
      this.append = append;
      return this;
    }

    public Builder vcpus(int vcpus) {
      this.vcpus = vcpus;
      return this;
    }

    /** Sets the signature from a QEMU CPU model. */
    public Builder vcpuType(VcpuType type) {
      this.vcpuSignature = OptionalInt.of(type.signature());
      return this;
    }

    public Builder vcpuSignature(int signature) {
      this.vcpuSignature = OptionalInt.of(signature);
      return this;
    }

    /** Sets the signature from family/model/stepping ({@link VcpuType#signature}). */
    public Builder vcpuFamily(int family, int model, int stepping) {
      this.vcpuSignature = OptionalInt.of(VcpuType.signature(family, model, stepping));
      return this;
    }

    public Builder vmmType(VmmType vmmType) {
      this.vmmType = vmmType;
      return this;
    }

    public Builder guestFeatures(long guestFeatures) {
      this.guestFeatures = guestFeatures;
      return this;
    }

    public Builder ovmfHash(@Nullable Bytes ovmfHash) {
      this.ovmfHash = ovmfHash;
      return this;
    }

    public MeasurementInputs build() {
      return new MeasurementInputs(mode, ovmf, kernel, initrd, append, vcpus, vcpuSignature,
          vmmType, guestFeatures, ovmfHash);
    }
  }
}
