package dev.carapace.tdx.simulate;

import dev.carapace.attestation.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The TCB of a simulated TDX machine: what its PCK certificate, QE report and quote body claim.
 * {@link #defaults()} mirrors a Sapphire Rapids platform; a simulator's own collateral rates the
 * platform it was built with {@code UpToDate}. Immutable.
 *
 * @param fmspc 6 bytes
 * @param pceId 2 bytes
 * @param sgxTcbComponents the 16 SGX TCB component SVNs (0..255) of the PCK certificate
 * @param pceSvn PCE security version (0..65535)
 * @param cpuSvn 16 bytes, in the PCK certificate and the QE report
 * @param qeSvn ISVSVN of the TD quoting enclave (0..65535)
 * @param teeTcbSvn the body's 16-byte TEE_TCB_SVN: [0] TDX module SVN, [1] TDX module major
 *     version (0 selects TCB Info's {@code tdxModule}, otherwise {@code tdxModuleIdentities}
 *     "TDX_%02X"), [2] late microcode SVN, ...
 * @param mrSeam 48-byte measurement of the TDX module
 */
public record SimulatedPlatform(
    Bytes fmspc,
    Bytes pceId,
    List<Integer> sgxTcbComponents,
    int pceSvn,
    Bytes cpuSvn,
    int qeSvn,
    Bytes teeTcbSvn,
    Bytes mrSeam) {

  private static final List<Integer> DEFAULT_SGX =
      List.of(5, 5, 2, 2, 3, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0);

  public SimulatedPlatform {
    size(fmspc, 6, "fmspc");
    size(pceId, 2, "pceId");
    sgxTcbComponents = List.copyOf(sgxTcbComponents);
    if (sgxTcbComponents.size() != 16) {
      throw new IllegalArgumentException("16 SGX TCB components required");
    }
    for (int svn : sgxTcbComponents) {
      range(svn, 255, "SGX TCB component");
    }
    range(pceSvn, 0xffff, "pceSvn");
    size(cpuSvn, 16, "cpuSvn");
    range(qeSvn, 0xffff, "qeSvn");
    size(teeTcbSvn, 16, "teeTcbSvn");
    size(mrSeam, 48, "mrSeam");
  }

  /**
   * SVNs of an Intel Sapphire Rapids sample (FMSPC 50806f000000, PCESVN 11, QE ISVSVN 4, TDX
   * module SVN 3 with major version 0, late microcode SVN 5), CPUSVN equal to the SGX components,
   * and a fixed development MRSEAM.
   */
  public static SimulatedPlatform defaults() {
    byte[] cpu = new byte[16];
    for (int i = 0; i < 16; i++) {
      cpu[i] = (byte) (int) DEFAULT_SGX.get(i);
    }
    return new SimulatedPlatform(Bytes.fromHex("50806f000000"), Bytes.fromHex("0000"),
        DEFAULT_SGX, 11, Bytes.copyOf(cpu), 4,
        Bytes.fromHex("03000500000000000000000000000000"),
        Bytes.fromHex("ca7a9ace".repeat(12)));
  }

  /** TDX module SVN, {@code teeTcbSvn[0]}. */
  public int tdxModuleSvn() {
    return teeTcbSvn.getUnsigned(0);
  }

  /** TDX module major version, {@code teeTcbSvn[1]}. */
  public int tdxModuleMajorVersion() {
    return teeTcbSvn.getUnsigned(1);
  }

  public SimulatedPlatform withFmspc(Bytes value) {
    return new SimulatedPlatform(value, pceId, sgxTcbComponents, pceSvn, cpuSvn, qeSvn,
        teeTcbSvn, mrSeam);
  }

  /** This platform with SGX TCB component {@code index} (0..15) set to {@code svn}. */
  public SimulatedPlatform withSgxTcbComponent(int index, int svn) {
    List<Integer> c = new ArrayList<>(sgxTcbComponents);
    c.set(Objects.checkIndex(index, 16), svn);
    return new SimulatedPlatform(fmspc, pceId, c, pceSvn, cpuSvn, qeSvn, teeTcbSvn, mrSeam);
  }

  public SimulatedPlatform withPceSvn(int value) {
    return new SimulatedPlatform(fmspc, pceId, sgxTcbComponents, value, cpuSvn, qeSvn,
        teeTcbSvn, mrSeam);
  }

  public SimulatedPlatform withQeSvn(int value) {
    return new SimulatedPlatform(fmspc, pceId, sgxTcbComponents, pceSvn, cpuSvn, value,
        teeTcbSvn, mrSeam);
  }

  public SimulatedPlatform withTeeTcbSvn(Bytes value) {
    return new SimulatedPlatform(fmspc, pceId, sgxTcbComponents, pceSvn, cpuSvn, qeSvn, value,
        mrSeam);
  }

  private static void size(Bytes b, int n, String name) {
    Objects.requireNonNull(b, name);
    if (b.size() != n) {
      throw new IllegalArgumentException(name + " must be " + n + " bytes, got " + b.size());
    }
  }

  private static void range(int v, int max, String name) {
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(name + " must be 0.." + max + ", got " + v);
    }
  }
}
