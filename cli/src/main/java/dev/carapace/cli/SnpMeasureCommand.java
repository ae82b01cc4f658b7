package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.measure.LaunchDigestCalculator;
import dev.carapace.snp.measure.MeasurementException;
import dev.carapace.snp.measure.MeasurementInputs;
import dev.carapace.snp.measure.SevMode;
import dev.carapace.snp.measure.VcpuType;
import dev.carapace.snp.measure.VmmType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code carapace snp measure}: the expected launch digest, as sev-snp-measure computes it. */
@Command(
    name = "measure",
    mixinStandardHelpOptions = true,
    description = {
        "Compute the SEV-SNP launch digest (the report's MEASUREMENT) of a guest from its OVMF "
            + "image, optional kernel/initrd/command line (direct boot hashes table), vCPU count "
            + "and type, VMM type and guest features. Compatible with sev-snp-measure.",
        "Register the printed value as a reference value for the guest."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:digest printed", "1:inputs rejected (malformed OVMF, inconsistent options)",
        "2:usage error", "3:a file could not be read"})
final class SnpMeasureCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--ovmf", required = true, paramLabel = "FILE", description = "OVMF firmware image.")
  Path ovmf;

  @Option(names = "--kernel", paramLabel = "FILE", description = "Kernel for direct boot.")
  Path kernel;

  @Option(names = "--initrd", paramLabel = "FILE", description = "Initrd (needs --kernel).")
  Path initrd;

  @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line.")
  String append;

  @Option(names = "--vcpus", paramLabel = "N", defaultValue = "1",
      description = "Number of vCPUs (default ${DEFAULT-VALUE}).")
  int vcpus;

  @Option(names = "--vcpu-type", paramLabel = "TYPE",
      description = "QEMU CPU model, e.g. EPYC-v4, EPYC-Milan, EPYC-Genoa.")
  String vcpuType;

  @Option(names = "--vcpu-sig", paramLabel = "SIG",
      description = "CPUID(1).EAX signature instead of --vcpu-type, e.g. 0xa00f11.")
  String vcpuSignature;

  @Option(names = "--vmm-type", paramLabel = "VMM", defaultValue = "QEMU",
      description = "QEMU, EC2 or GCE (default ${DEFAULT-VALUE}).")
  String vmmType;

  @Option(names = "--guest-features", paramLabel = "BITS", defaultValue = "0x1",
      description = "SEV_FEATURES of the VMSA (default ${DEFAULT-VALUE}).")
  String guestFeatures;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "snp",
      description = "snp, seves or sev (default ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MeasurementInputs.Builder b;
    try {
      b = MeasurementInputs.builder(Bytes.copyOf(Files.readAllBytes(ovmf)));
      if (kernel != null) {
        b.kernel(Bytes.copyOf(Files.readAllBytes(kernel)));
      }
      if (initrd != null) {
        b.initrd(Bytes.copyOf(Files.readAllBytes(initrd)));
      }
    } catch (IOException e) {
      err.println("carapace snp measure: cannot read " + e.getMessage());
      return Carapace.IO_ERROR;
    }
    try {
      b.mode(SevMode.fromName(mode).orElseThrow(() -> new IllegalArgumentException(
          "unknown --mode " + mode)));
      b.vmmType(VmmType.fromName(vmmType).orElseThrow(() -> new IllegalArgumentException(
          "unknown --vmm-type " + vmmType)));
      if (vcpuType != null) {
        b.vcpuType(VcpuType.fromName(vcpuType).orElseThrow(() -> new IllegalArgumentException(
            "unknown --vcpu-type " + vcpuType)));
      }
      if (vcpuSignature != null) {
        b.vcpuSignature(Integer.decode(vcpuSignature));
      }
      b.guestFeatures(Long.decode(guestFeatures));
      b.vcpus(vcpus);
      if (append != null) {
        b.append(append);
      }
    } catch (IllegalArgumentException e) {
      err.println("carapace snp measure: " + e.getMessage());
      return Carapace.USAGE;
    }
    try {
      MeasurementInputs inputs = b.build();
      Bytes digest = LaunchDigestCalculator.calculate(inputs);
      if (json) {
        ObjectNode n = Json.object();
        n.put("measurement", digest.toHex());
        n.put("mode", inputs.mode().name());
        n.put("vcpus", inputs.vcpus());
        n.put("vmm_type", inputs.vmmType().name());
        n.put("guest_features", "0x" + Long.toHexString(inputs.guestFeatures()));
        out.println(Json.pretty(n));
      } else {
        out.println(digest.toHex());
      }
      return Carapace.OK;
    } catch (MeasurementException e) {
      err.println("carapace snp measure: " + e.getMessage());
      return Carapace.REJECTED;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("carapace snp measure: " + e.getMessage());
      return Carapace.USAGE;
    }
  }
}
