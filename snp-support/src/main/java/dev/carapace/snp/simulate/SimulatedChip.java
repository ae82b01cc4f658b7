package dev.carapace.snp.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.FirmwareVersion;
import dev.carapace.snp.report.PlatformInfo;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform state of a simulated AMD EPYC processor: what the SNP firmware puts into every
 * report regardless of the guest. {@link #of(Product, Bytes)} gives values seen in real reports
 * of the product; the {@code with...} methods change one aspect. Immutable.
 *
 * @param product the product line; decides the TCB layout and which development hierarchy signs
 * @param chipId CHIP_ID, 64 bytes; Turin: 8 significant bytes, bytes 8 to 63 zero
 * @param cpuidFamily combined CPUID family reported in v3+ reports (0x19 Milan/Genoa, 0x1A Turin)
 * @param cpuidModel combined CPUID model; with the family it must name {@code product}
 * @param cpuidStepping CPUID stepping
 * @param currentTcb CURRENT_TCB
 * @param committedTcb COMMITTED_TCB (not above current; equal unless firmware is provisional)
 * @param reportedTcb REPORTED_TCB: the TCB the VCEK/VLEK certifies
 * @param currentFirmware CURRENT_MAJOR/MINOR/BUILD
 * @param committedFirmware COMMITTED_MAJOR/MINOR/BUILD
 * @param platformInfo PLATFORM_INFO
 * @param currentMitigations CURRENT_MIT_VECTOR (v5 reports only)
 */
public record SimulatedChip(
    Product product,
    Bytes chipId,
    int cpuidFamily,
    int cpuidModel,
    int cpuidStepping,
    TcbVersion currentTcb,
    TcbVersion committedTcb,
    TcbVersion reportedTcb,
    FirmwareVersion currentFirmware,
    FirmwareVersion committedFirmware,
    PlatformInfo platformInfo,
    long currentMitigations) {

  /** SMT_EN, ECC_EN and ALIAS_CHECK_COMPLETE: 0x25, as most real v3+ reports. */
  public static final long DEFAULT_PLATFORM_INFO =
      PlatformInfo.SMT_EN | PlatformInfo.ECC_EN | PlatformInfo.ALIAS_CHECK_COMPLETE;

  public SimulatedChip {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(chipId, "chipId");
    if (chipId.size() != 64) {
      throw new IllegalArgumentException("chipId must be 64 bytes, got " + chipId.size());
    }
    if (product.turinTcbLayout()
        && (!chipId.slice(8, 56).isAllZero() || chipId.slice(0, 8).isAllZero())) {
      throw new IllegalArgumentException(
          "a Turin chipId has 8 significant (not all zero) bytes followed by 56 zero bytes");
    }
    if (cpuidStepping < 0 || cpuidStepping > 0xff) {
      throw new IllegalArgumentException("cpuidStepping must fit in 8 bits");
    }
    Optional<Product> fromCpuid = Product.fromCpuid(cpuidFamily, cpuidModel);
    if (fromCpuid.isEmpty() || fromCpuid.get() != product) {
      throw new IllegalArgumentException(String.format(
          "CPUID family 0x%x model 0x%x does not name %s", cpuidFamily, cpuidModel, product));
    }
    for (TcbVersion t : new TcbVersion[] {currentTcb, committedTcb, reportedTcb}) {
      Objects.requireNonNull(t, "tcb");
      if (t.product() != product) {
        throw new IllegalArgumentException("every TCB must be in the " + product + " layout");
      }
    }
    Objects.requireNonNull(currentFirmware, "currentFirmware");
    Objects.requireNonNull(committedFirmware, "committedFirmware");
    Objects.requireNonNull(platformInfo, "platformInfo");
  }

  /**
   * A chip with {@code chipId} (64 bytes; for Turin 8 bytes are also accepted and zero-padded)
   * and values of real reports of the product, current = committed = reported TCB: Milan family
   * 0x19 model 0x01, TCB bl 4 / tee 0 / snp 27 / ucode 222, firmware 1.55 build 35, mitigations
   * 0xb; Genoa 0x19/0x11, TCB 10/0/23/25, firmware 1.55 build 40, mitigations 0xb; Turin
   * 0x1A/0x02, TCB fmc 1 / bl 1 / tee 1 / snp 4 / ucode 81, firmware 1.55 build 40, mitigations
   * 0x3f. Stepping 1 and PLATFORM_INFO {@link #DEFAULT_PLATFORM_INFO} for all.
   */
  public static SimulatedChip of(Product product, Bytes chipId) {
    Bytes id = product.turinTcbLayout() && chipId.size() == 8
        ? Bytes.copyOf(concat(chipId.toByteArray(), new byte[56])) : chipId;
    TcbVersion tcb;
    int model;
    FirmwareVersion firmware;
    long mitigations;
    switch (product) {
      case MILAN -> {
        tcb = TcbVersion.of(product, 4, 0, 27, 222, 0);
        model = 0x01;
        firmware = new FirmwareVersion(1, 55, 35);
        mitigations = 0xb;
      }
      case GENOA -> {
        tcb = TcbVersion.of(product, 10, 0, 23, 25, 0);
        model = 0x11;
        firmware = new FirmwareVersion(1, 55, 40);
        mitigations = 0xb;
      }
      case TURIN -> {
        tcb = TcbVersion.of(product, 1, 1, 4, 81, 1);
        model = 0x02;
        firmware = new FirmwareVersion(1, 55, 40);
        mitigations = 0x3f;
      }
      default -> throw new IllegalArgumentException("unknown product " + product);
    }
    int family = product == Product.TURIN ? 0x1A : 0x19;
    return new SimulatedChip(product, id, family, model, 1, tcb, tcb, tcb, firmware, firmware,
        new PlatformInfo(DEFAULT_PLATFORM_INFO), mitigations);
  }

  /** {@link #of} with a random CHIP_ID (64 bytes; Turin: 8 random non-zero bytes, then zeros). */
  public static SimulatedChip random(Product product, SecureRandom random) {
    byte[] id = new byte[64];
    int significant = product.turinTcbLayout() ? 8 : 64;
    do {
      byte[] r = new byte[significant];
      random.nextBytes(r);
      System.arraycopy(r, 0, id, 0, significant);
    } while (Bytes.copyOf(id).isAllZero());
    return of(product, Bytes.copyOf(id));
  }

  /** Current, committed and reported TCB all {@code tcb}. */
  public SimulatedChip withTcb(TcbVersion tcb) {
    return new SimulatedChip(product, chipId, cpuidFamily, cpuidModel, cpuidStepping, tcb, tcb,
        tcb, currentFirmware, committedFirmware, platformInfo, currentMitigations);
  }

  public SimulatedChip withCurrentTcb(TcbVersion tcb) {
    return new SimulatedChip(product, chipId, cpuidFamily, cpuidModel, cpuidStepping, tcb,
        committedTcb, reportedTcb, currentFirmware, committedFirmware, platformInfo,
        currentMitigations);
  }

  public SimulatedChip withCommittedTcb(TcbVersion tcb) {
    return new SimulatedChip(product, chipId, cpuidFamily, cpuidModel, cpuidStepping, currentTcb,
        tcb, reportedTcb, currentFirmware, committedFirmware, platformInfo, currentMitigations);
  }

  /** REPORTED_TCB, which the VCEK certifies (the host may report an older TCB than current). */
  public SimulatedChip withReportedTcb(TcbVersion tcb) {
    return new SimulatedChip(product, chipId, cpuidFamily, cpuidModel, cpuidStepping, currentTcb,
        committedTcb, tcb, currentFirmware, committedFirmware, platformInfo, currentMitigations);
  }

  public SimulatedChip withFirmware(FirmwareVersion current, FirmwareVersion committed) {
    return new SimulatedChip(product, chipId, cpuidFamily, cpuidModel, cpuidStepping, currentTcb,
        committedTcb, reportedTcb, current, committed, platformInfo, currentMitigations);
  }

  public SimulatedChip withPlatformInfo(long raw) {
    return new SimulatedChip(product, chipId, cpuidFamily, cpuidModel, cpuidStepping, currentTcb,
        committedTcb, reportedTcb, currentFirmware, committedFirmware, new PlatformInfo(raw),
        currentMitigations);
  }

  public SimulatedChip withCurrentMitigations(long bits) {
    return new SimulatedChip(product, chipId, cpuidFamily, cpuidModel, cpuidStepping, currentTcb,
        committedTcb, reportedTcb, currentFirmware, committedFirmware, platformInfo, bits);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
