package dev.carapace.snp.measure;

import static dev.carapace.snp.measure.MeasurementException.Reason.INVALID_INPUT;
import static dev.carapace.snp.measure.MeasurementException.Reason.KERNEL_HASHES_UNSUPPORTED;
import static dev.carapace.snp.measure.MeasurementException.Reason.MALFORMED_METADATA;
import static dev.carapace.snp.measure.MeasurementException.Reason.MISSING_METADATA;
import static dev.carapace.snp.measure.MeasurementException.Reason.MISSING_RESET_BLOCK;

import dev.carapace.attestation.model.Bytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Computes the launch digest of a QEMU-style OVMF boot exactly as sev-snp-measure does
 * ({@code guest.py}). SEV-SNP, in SNP_LAUNCH_UPDATE order:
 * <ol>
 *   <li>the whole OVMF image as NORMAL pages at 4 GiB − size (or the {@code ovmfHash} seed);
 *   <li>each SEV metadata section in table order: SEC memory as ZERO (UNMEASURED on GCE), one
 *       SECRETS page, one CPUID page (deferred after all other sections on EC2), SVSM CAA as
 *       ZERO, kernel hashes as the {@link SevHashesTable} page (NORMAL) or ZERO without a kernel;
 *   <li>one VMSA page per vCPU at {@link LaunchDigest#VMSA_GPA}, BSP first.
 * </ol>
 * SEV-ES is SHA-256(OVMF ‖ hashes table ‖ VMSAs with SEV_FEATURES 0); SEV is SHA-256(OVMF ‖
 * hashes table). Stateless and thread-safe.
 */
public final class LaunchDigestCalculator {
  /** The largest vCPU count accepted (KVM's x86 KVM_MAX_VCPUS). */
  public static final int MAX_VCPUS = 4096;

  private static final int PAGE = 4096;

  private LaunchDigestCalculator() {}

  /** The launch digest for {@code inputs}. */
  public static Bytes calculate(MeasurementInputs inputs) throws MeasurementException {
    return run(inputs, false).digest();
  }

  /** The launch digest with every SNP page update that produced it. */
  public static TracedDigest calculateWithTrace(MeasurementInputs inputs)
      throws MeasurementException {
    return run(inputs, true);
  }

  /**
   * The SNP digest after only the OVMF pages (sev-snp-measure {@code --mode snp:ovmf-hash}), for
   * use as {@link MeasurementInputs#ovmfHash()}.
   */
  public static Bytes ovmfHash(Bytes ovmf) throws MeasurementException {
    OvmfImage image = OvmfImage.parse(ovmf);
    Chain chain = new Chain(LaunchDigest.initial(), false);
    chain.normalPages(image.gpa(), image.data().toByteArray());
    return chain.digest.value();
  }

  private static TracedDigest run(MeasurementInputs in, boolean trace)
      throws MeasurementException {
    checkInputs(in);
    OvmfImage ovmf = OvmfImage.parse(in.ovmf());
    Bytes kernel = in.kernel();
    SevHashesTable hashes =
        kernel == null ? null : SevHashesTable.of(kernel, in.initrd(), in.append());
    return switch (in.mode()) {
      case SEV_SNP -> snp(in, ovmf, hashes, trace);
      case SEV_ES, SEV -> new TracedDigest(sevSha256(in, ovmf, hashes), List.of());
    };
  }

  private static void checkInputs(MeasurementInputs in) throws MeasurementException {
    if (in.kernel() == null && (in.initrd() != null || in.append() != null)) {
      throw new MeasurementException(INVALID_INPUT, "initrd and append need a kernel");
    }
    if (in.mode() != SevMode.SEV) {
      if (in.vcpus() < 1 || in.vcpus() > MAX_VCPUS) {
        throw new MeasurementException(INVALID_INPUT,
            "vcpus must be in [1, " + MAX_VCPUS + "], got " + in.vcpus());
      }
      if (in.vmmType() == VmmType.QEMU && in.vcpuSignature().isEmpty()) {
        throw new MeasurementException(INVALID_INPUT, "QEMU VMSAs need a vCPU type or signature");
      }
    }
    Bytes seed = in.ovmfHash();
    if (seed != null && (in.mode() != SevMode.SEV_SNP || seed.size() != LaunchDigest.LENGTH)) {
      throw new MeasurementException(INVALID_INPUT, "an OVMF hash is a 48-byte SEV-SNP digest");
    }
  }

  private static TracedDigest snp(MeasurementInputs in, OvmfImage ovmf,
      @Nullable SevHashesTable hashes, boolean trace) throws MeasurementException {
    if (!ovmf.hasMetadata()) {
      throw new MeasurementException(MISSING_METADATA, "OVMF image has no SEV metadata");
    }
    Bytes kernelPage = hashes == null ? null : kernelHashesPage(ovmf, hashes);
    List<VmsaPage> vmsas = vmsas(in, ovmf, in.guestFeatures());

    Bytes seed = in.ovmfHash();
    Chain chain = new Chain(seed == null ? LaunchDigest.initial() : new LaunchDigest(seed), trace);
    if (seed == null) {
      chain.normalPages(ovmf.gpa(), ovmf.data().toByteArray());
    }
    for (OvmfSection s : ovmf.sections()) {
      switch (s.type()) {
        case SNP_SEC_MEMORY -> chain.emptyPages(
            in.vmmType() == VmmType.GCE ? PageType.UNMEASURED : PageType.ZERO, s.gpa(), s.size());
        case SNP_SECRETS -> chain.emptyPages(PageType.SECRETS, s.gpa(), PAGE);
        case CPUID -> {
          if (in.vmmType() != VmmType.EC2) {
            chain.emptyPages(PageType.CPUID, s.gpa(), PAGE);
          }
        }
        case SVSM_CAA -> chain.emptyPages(PageType.ZERO, s.gpa(), s.size());
        case SNP_KERNEL_HASHES -> {
          if (kernelPage == null) {
            chain.emptyPages(PageType.ZERO, s.gpa(), s.size());
          } else {
            chain.normalPages(s.gpa(), kernelPage.toByteArray());
          }
        }
      }
    }
    if (in.vmmType() == VmmType.EC2) {
      for (OvmfSection s : ovmf.sections()) {
        if (s.type() == SectionType.CPUID) {
          chain.emptyPages(PageType.CPUID, s.gpa(), PAGE);
        }
      }
    }
    for (VmsaPage vmsa : vmsas) {
      chain.vmsa(vmsa.toBytes().toByteArray());
    }
    return new TracedDigest(chain.digest.value(), chain.steps);
  }

  private static Bytes kernelHashesPage(OvmfImage ovmf, SevHashesTable hashes)
      throws MeasurementException {
    if (!ovmf.hasSection(SectionType.SNP_KERNEL_HASHES) || ovmf.sevHashesTableGpa().isEmpty()) {
      throw new MeasurementException(KERNEL_HASHES_UNSUPPORTED,
          "kernel given but OVMF metadata has no SNP_KERNEL_HASHES section / hashes table");
    }
    for (OvmfSection s : ovmf.sections()) {
      if (s.type() == SectionType.SNP_KERNEL_HASHES && s.size() != PAGE) {
        throw new MeasurementException(MALFORMED_METADATA,
            "SNP_KERNEL_HASHES section is " + s.size() + " bytes, expected one page");
      }
    }
    int offset = (int) (ovmf.sevHashesTableGpa().getAsLong() & 0xFFF);
    if (offset + SevHashesTable.PADDED_SIZE > PAGE) {
      throw new MeasurementException(MALFORMED_METADATA,
          "SEV hashes table at page offset " + offset + " crosses the page end");
    }
    return hashes.toPage(offset);
  }

  private static List<VmsaPage> vmsas(MeasurementInputs in, OvmfImage ovmf, long features)
      throws MeasurementException {
    long apEip = ovmf.sevEsResetEip().orElseThrow(() -> new MeasurementException(
        MISSING_RESET_BLOCK, "OVMF image has no SEV-ES reset block"));
    if (in.vcpus() > 1 && apEip == 0) {
      throw new MeasurementException(MISSING_RESET_BLOCK, "SEV-ES reset EIP is 0 but APs exist");
    }
    return VmsaPage.forVcpus(in.vcpus(), apEip, features, in.vcpuSignature().orElse(0),
        in.vmmType());
  }

  private static Bytes sevSha256(MeasurementInputs in, OvmfImage ovmf,
      @Nullable SevHashesTable hashes) throws MeasurementException {
    if (hashes != null && !ovmf.supportsSevHashesTable()) {
      throw new MeasurementException(KERNEL_HASHES_UNSUPPORTED,
          "kernel given but OVMF does not support kernel/initrd/cmdline measurement");
    }
    MessageDigest sha256 = digest("SHA-256");
    sha256.update(ovmf.data().toByteArray());
    if (hashes != null) {
      sha256.update(hashes.toBytes().toByteArray());
    }
    if (in.mode() == SevMode.SEV_ES) {
      for (VmsaPage vmsa : vmsas(in, ovmf, 0)) {
        sha256.update(vmsa.toBytes().toByteArray());
      }
    }
    return Bytes.copyOf(sha256.digest());
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
    }
  }

  /** The running digest, optionally recording each update. */
  private static final class Chain {
    LaunchDigest digest;
    final List<TraceStep> steps = new ArrayList<>();
    private final boolean trace;

    Chain(LaunchDigest start, boolean trace) {
      this.digest = start;
      this.trace = trace;
    }

    void normalPages(long gpa, byte[] data) {
      for (int off = 0; off < data.length; off += PAGE) {
        update(PageType.NORMAL, gpa + off, LaunchDigest.sha384(data, off, PAGE));
      }
    }

    void emptyPages(PageType type, long gpa, long length) {
      for (long off = 0; off < length; off += PAGE) {
        update(type, gpa + off, LaunchDigest.zeroContents());
      }
    }

    void vmsa(byte[] page) {
      update(PageType.VMSA, LaunchDigest.VMSA_GPA, LaunchDigest.sha384(page));
    }

    private void update(PageType type, long gpa, Bytes contents) {
      digest = digest.update(type, gpa, contents);
      if (trace) {
        steps.add(new TraceStep(gpa, type, contents, digest.value()));
      }
    }
  }
}
