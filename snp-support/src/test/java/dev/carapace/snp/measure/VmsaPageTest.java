package dev.carapace.snp.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VmsaPageTest {
  private static final long AP_EIP = 0x80B004;
  private static final int EPYC_V4 = 0x800F12;

  @ParameterizedTest
  @CsvSource({"1", "33"})
  void qemuPagesMatchSevSnpMeasure(long features) {
    String f = "features0x" + Long.toHexString(features);
    assertThat(VmsaPage.bsp(features, EPYC_V4, VmmType.QEMU).toBytes())
        .isEqualTo(MeasureVectors.bytes("vmsa_qemu_epyc-v4_" + f + "_bsp.bin"));
    assertThat(VmsaPage.ap(AP_EIP, features, EPYC_V4, VmmType.QEMU).toBytes())
        .isEqualTo(MeasureVectors.bytes("vmsa_qemu_epyc-v4_" + f + "_ap_eip0x80b004.bin"));
  }

  @Test
  void forVcpusIsBspThenAps() {
    List<VmsaPage> pages = VmsaPage.forVcpus(3, AP_EIP, 1, EPYC_V4, VmmType.QEMU);
    assertThat(pages).extracting(VmsaPage::eip).containsExactly(VmsaPage.BSP_EIP, AP_EIP, AP_EIP);
    assertThat(VmsaPage.forVcpus(1, 0, 1, EPYC_V4, VmmType.QEMU)).hasSize(1);
    assertThatThrownBy(() -> VmsaPage.forVcpus(2, 0, 1, EPYC_V4, VmmType.QEMU))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VmsaPage.forVcpus(0, AP_EIP, 1, EPYC_V4, VmmType.QEMU))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ec2DiffersFromQemu() {
    ByteBuffer bsp = buf(VmsaPage.bsp(1, EPYC_V4, VmmType.EC2));
    assertThat(bsp.getShort(0x12)).isEqualTo((short) 0x9A); // cs attrib for the reset vector
    assertThat(bsp.getShort(0x22)).isEqualTo((short) 0x92); // ss
    assertThat(bsp.getShort(0x92)).isEqualTo((short) 0x83); // tr
    assertThat(bsp.getLong(0x310)).isEqualTo(0x600); // rdx
    assertThat(bsp.getInt(0x408)).isZero(); // mxcsr
    assertThat(bsp.getShort(0x410)).isZero(); // fcw
    assertThat(bsp.getLong(0x268)).isEqualTo(0x0007040600070406L);
    ByteBuffer ap = buf(VmsaPage.ap(AP_EIP, 1, EPYC_V4, VmmType.EC2));
    assertThat(ap.getShort(0x12)).isEqualTo((short) 0x9B);
  }

  @Test
  void gceDiffersFromQemu() {
    ByteBuffer b = buf(VmsaPage.bsp(1, EPYC_V4, VmmType.GCE));
    assertThat(b.getLong(0x268)).isEqualTo(0x00070106L); // g_pat
    assertThat(b.getLong(0x310)).isEqualTo(0x600);
    assertThat(b.getInt(0x408)).isZero();
    assertThat(b.getShort(0x410)).isZero();
    assertThat(b.getShort(0x12)).isEqualTo((short) 0x9B);
    assertThat(b.getShort(0x92)).isEqualTo((short) 0x8B);
  }

  @Test
  void vcpuSignatures() {
    assertThat(VcpuType.EPYC_V4.signature()).isEqualTo(0x800F12);
    assertThat(VcpuType.EPYC.signature()).isEqualTo(0x800F12);
    assertThat(VcpuType.EPYC_ROME.signature()).isEqualTo(0x830F10);
    assertThat(VcpuType.EPYC_MILAN_V2.signature()).isEqualTo(0xA00F11);
    assertThat(VcpuType.EPYC_GENOA.signature()).isEqualTo(0xA10F10);
    assertThat(VcpuType.EPYC_TURIN.signature()).isEqualTo(0xB00F00);
    assertThat(VcpuType.signature(6, 0x55, 4)).isEqualTo(0x50654);
    assertThat(VcpuType.fromName("epyc-milan-V1")).contains(VcpuType.EPYC_MILAN_V1);
    assertThat(VcpuType.fromName("EPYC-Genoa-v1").orElseThrow().qemuName())
        .isEqualTo("EPYC-Genoa-v1");
    assertThat(VcpuType.fromName("Skylake")).isEmpty();
    assertThatThrownBy(() -> VcpuType.signature(23, 256, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesParse() {
    assertThat(VmmType.fromName("ec2")).contains(VmmType.EC2);
    assertThat(VmmType.fromName("QEMU")).contains(VmmType.QEMU);
    assertThat(VmmType.fromName("gce")).contains(VmmType.GCE);
    assertThat(VmmType.fromName("xen")).isEmpty();
    assertThat(SevMode.fromName("seves")).contains(SevMode.SEV_ES);
    assertThat(SevMode.fromName("SNP")).contains(SevMode.SEV_SNP);
    assertThat(SevMode.fromName("snp:svsm")).isEmpty();
  }

  private static ByteBuffer buf(VmsaPage page) {
    Bytes b = page.toBytes();
    assertThat(b.size()).isEqualTo(4096);
    return ByteBuffer.wrap(b.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
  }
}
