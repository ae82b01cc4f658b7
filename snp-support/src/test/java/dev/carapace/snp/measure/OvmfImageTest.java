package dev.carapace.snp.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.measure.MeasurementException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OvmfImageTest {
  // Offsets inside ovmf_AmdSev_suffix.bin (4096 bytes).
  private static final int FOOTER_SIZE = 4046;
  private static final int RESET_BLOCK_SIZE = 4028;
  private static final int METADATA_OFFSET_ENTRY = 3950;
  private static final int ASEV = 2732;

  private static byte[] amdSev() {
    return MeasureVectors.bytes(MeasureVectors.AMDSEV).toByteArray();
  }

  @Test
  void parsesAmdSevFixture() throws MeasurementException {
    OvmfImage ovmf = OvmfImage.parse(Bytes.copyOf(amdSev()));
    assertThat(ovmf.size()).isEqualTo(4096);
    assertThat(ovmf.gpa()).isEqualTo(0xFFFFF000L);
    assertThat(ovmf.sevEsResetEip()).hasValue(0x80B004);
    assertThat(ovmf.sevHashesTableGpa()).hasValue(0x810C00);
    assertThat(ovmf.supportsSevHashesTable()).isTrue();
    assertThat(ovmf.hasMetadata()).isTrue();
    assertThat(ovmf.footerTable()).containsKeys(OvmfImage.SEV_ES_RESET_BLOCK_GUID,
        OvmfImage.SEV_HASH_TABLE_RV_GUID, OvmfImage.SEV_METADATA_GUID,
        UUID.fromString("4c2eb361-7d9b-4cc3-8081-127c90d3d294"),
        UUID.fromString("e47a6535-984a-4798-865e-4685a7bf8ec2"));
    assertThat(ovmf.sections()).containsExactly(
        new OvmfSection(0x800000, 0x9000, SectionType.SNP_SEC_MEMORY),
        new OvmfSection(0x80A000, 0x3000, SectionType.SNP_SEC_MEMORY),
        new OvmfSection(0x80D000, 0x1000, SectionType.SNP_SECRETS),
        new OvmfSection(0x80E000, 0x1000, SectionType.CPUID),
        new OvmfSection(0x80F000, 0x1000, SectionType.SVSM_CAA),
        new OvmfSection(0x810000, 0x1000, SectionType.SNP_KERNEL_HASHES),
        new OvmfSection(0x811000, 0xF000, SectionType.SNP_SEC_MEMORY));
  }

  @Test
  void parsesOvmfX64FixtureWithoutKernelHashes() throws MeasurementException {
    OvmfImage ovmf = OvmfImage.parse(MeasureVectors.bytes(MeasureVectors.OVMFX64));
    assertThat(ovmf.hasSection(SectionType.SNP_KERNEL_HASHES)).isFalse();
    assertThat(ovmf.sections()).hasSize(6).last()
        .isEqualTo(new OvmfSection(0x810000, 0x10000, SectionType.SNP_SEC_MEMORY));
    assertThat(ovmf.sevEsResetEip()).isPresent();
  }

  @Test
  void placesLargerImagesBelowFourGib() throws MeasurementException {
    byte[] big = new byte[3 * 4096];
    System.arraycopy(amdSev(), 0, big, 2 * 4096, 4096);
    OvmfImage ovmf = OvmfImage.parse(Bytes.copyOf(big));
    assertThat(ovmf.gpa()).isEqualTo(0xFFFFD000L);
    assertThat(ovmf.sections()).hasSize(7);
  }

  @Test
  void imageWithoutFooterHasNoTableOrMetadata() throws MeasurementException {
    OvmfImage ovmf = OvmfImage.parse(Bytes.zeros(8192));
    assertThat(ovmf.footerTable()).isEmpty();
    assertThat(ovmf.sections()).isEmpty();
    assertThat(ovmf.hasMetadata()).isFalse();
    assertThat(ovmf.sevEsResetEip()).isEmpty();
    assertThat(ovmf.supportsSevHashesTable()).isFalse();
  }

  @Test
  void rejectsBadSizes() {
    assertReason(new byte[0], Reason.BAD_IMAGE_SIZE);
    assertReason(new byte[4095], Reason.BAD_IMAGE_SIZE);
    byte[] odd = new byte[4097];
    System.arraycopy(amdSev(), 0, odd, 1, 4096);
    assertReason(odd, Reason.BAD_IMAGE_SIZE);
  }

  @Test
  void rejectsMalformedFooterTable() {
    assertReason(withU16(FOOTER_SIZE, 17), Reason.MALFORMED_FOOTER_TABLE);
    assertReason(withU16(FOOTER_SIZE, 5000), Reason.MALFORMED_FOOTER_TABLE);
    assertReason(withU16(RESET_BLOCK_SIZE, 3), Reason.MALFORMED_FOOTER_TABLE);
    assertReason(withU16(RESET_BLOCK_SIZE, 200), Reason.MALFORMED_FOOTER_TABLE);
    // the reset block entry shrunk to its bare header: the walk loses its footing
    assertReason(withU16(RESET_BLOCK_SIZE, 18), Reason.MALFORMED_FOOTER_TABLE);
  }

  @Test
  void rejectsDuplicateFooterEntries() {
    byte[] raw = amdSev();
    // overwrite the 4c2eb361 entry's GUID with the reset block's GUID
    System.arraycopy(raw, 4030, raw, 3998 + 26 - 16, 16);
    assertReason(raw, Reason.MALFORMED_FOOTER_TABLE);
  }

  @Test
  void rejectsMalformedMetadata() {
    assertReason(withU32(METADATA_OFFSET_ENTRY, 5000), Reason.MALFORMED_METADATA);
    assertReason(withU32(METADATA_OFFSET_ENTRY, 8), Reason.MALFORMED_METADATA);
    assertReason(withU32(METADATA_OFFSET_ENTRY, 1360), Reason.MALFORMED_METADATA);
    assertReason(withU32(ASEV, 0x56455358), Reason.MALFORMED_METADATA); // "XSEV"
    assertReason(withU32(ASEV + 4, 16), Reason.MALFORMED_METADATA); // size too small for 7 items
    assertReason(withU32(ASEV + 4, 2000), Reason.MALFORMED_METADATA); // beyond the image end
    assertReason(withU32(ASEV + 8, 2), Reason.MALFORMED_METADATA); // version
    assertReason(withU32(ASEV + 12, 1000), Reason.MALFORMED_METADATA); // item count
    assertReason(withU32(ASEV + 16 + 8, 7), Reason.MALFORMED_METADATA); // unknown type
    assertReason(withU32(ASEV + 16, 0x800800), Reason.MALFORMED_METADATA); // unaligned gpa
    assertReason(withU32(ASEV + 16 + 4, 0x900), Reason.MALFORMED_METADATA); // unaligned size
    assertReason(withU32(ASEV + 16 + 4, 0), Reason.MALFORMED_METADATA); // empty
    assertReason(withU32(ASEV + 16, 0xFFFFF000L), Reason.MALFORMED_METADATA); // beyond 4 GiB
    assertReason(withU32(ASEV + 16 + 4, 0xB000), Reason.MALFORMED_METADATA); // overlaps the next
  }

  @Test
  void guidWireFormatIsMixedEndian() {
    Bytes le = Guids.toBytesLe(OvmfImage.FOOTER_TABLE_GUID);
    assertThat(le.toHex()).isEqualTo("de82b596b21ff745baeaa366c55a082d");
    assertThat(Guids.fromBytesLe(le.toByteArray(), 0)).isEqualTo(OvmfImage.FOOTER_TABLE_GUID);
  }

  private static byte[] withU16(int offset, int value) {
    byte[] raw = amdSev();
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short) value);
    return raw;
  }

  private static byte[] withU32(int offset, long value) {
    byte[] raw = amdSev();
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, (int) value);
    return raw;
  }

  private static void assertReason(byte[] image, Reason reason) {
    assertThatThrownBy(() -> OvmfImage.parse(Bytes.copyOf(image)))
        .isInstanceOf(MeasurementException.class)
        .extracting(e -> ((MeasurementException) e).reason())
        .isEqualTo(reason);
  }
}
