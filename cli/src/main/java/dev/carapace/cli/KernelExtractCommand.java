package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.runtime.kernel.BzImage;
import dev.carapace.runtime.kernel.ElfKernel;
import dev.carapace.runtime.kernel.KernelFormatException;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kernel.VmlinuxExtractor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code carapace kernel extract-vmlinux}: decompress a bzImage's payload to a vmlinux file. */
@Command(
    name = "extract-vmlinux",
    mixinStandardHelpOptions = true,
    description = {
        "Decompress the vmlinux ELF inside a bzImage (gzip, xz, lz4 legacy or zstd payload) and"
            + " write it to a file, like Linux's scripts/extract-vmlinux. The payload is located"
            + " by the setup header (boot protocol 2.08+), else by searching for compression"
            + " magic. Progress goes to standard error."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:vmlinux written", "1:image rejected (not a bzImage, unsupported or corrupt payload)",
        "2:usage error", "3:a file could not be read or written"})
final class KernelExtractCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BZIMAGE", description = "The bzImage (vmlinuz) file.")
  Path image;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file.")
  Path out;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      KernelImage k = KernelImage.read(image);
      if (!(k instanceof BzImage bz)) {
        return reject(stdout, err, "NOT_A_BZIMAGE", image + " is already an uncompressed vmlinux");
      }
      VmlinuxExtractor.Extraction x = new VmlinuxExtractor().extract(bz,
          produced -> err.printf("extract-vmlinux: %d MiB%n", produced >> 20));
      ElfKernel vmlinux = x.vmlinux();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(vmlinux.fileSize());
      vmlinux.writeFileTo(bytes);
      OutputFiles.writeAtomically(out, bytes.toByteArray());
      if (json) {
        ObjectNode n = Json.object();
        n.put("compression", x.compression().name());
        n.put("size", vmlinux.fileSize());
        n.put("entry", "0x" + Long.toHexString(vmlinux.physicalEntryPoint()));
        n.put("out", out.toString());
        stdout.println(Json.pretty(n));
      } else {
        stdout.printf("%s: %s payload, vmlinux of %d bytes, entry 0x%x written to %s%n",
            image.getFileName(), x.compression(), vmlinux.fileSize(),
            vmlinux.physicalEntryPoint(), out);
      }
      return Carapace.OK;
    } catch (KernelFormatException e) {
      return reject(stdout, err, e.reason().name(), e.getMessage());
    } catch (IOException e) {
      err.println("carapace kernel extract-vmlinux: " + e.getMessage());
      return Carapace.IO_ERROR;
    }
  }

  private int reject(PrintWriter stdout, PrintWriter err, String reason, String message) {
    if (json) {
      ObjectNode n = Json.object();
      Json.putError(n, reason, message);
      stdout.println(Json.pretty(n));
    }
    err.println("carapace kernel extract-vmlinux: " + message);
    return Carapace.REJECTED;
  }
}
