package dev.carapace.snp.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import org.junit.jupiter.api.Test;

class VcekIdTest {
  @Test
  void kdsPathAndQueryWhenMilanThenFullChipIdAndPaddedSpls() {
    VcekId id = VcekId.of(Product.MILAN, KdsVectors.chipId(KdsVectors.GSG_MILAN),
        KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN));
    assertThat(id.kdsPathAndQuery()).isEqualTo(KdsStubs.GSG_MILAN_URL);
    assertThat(id.hwid().size()).isEqualTo(64);
    assertThat(id.tcbHex()).isEqualTo("4405000000000002");
    assertThat(id.toString()).startsWith("Milan VCEK 3ac3fe21").endsWith("@ TCB 4405000000000002");
  }

  @Test
  void kdsPathAndQueryWhenTurinThenEightByteHwidAndFmcFirst() {
    TcbVersion tcb = TcbVersion.of(Product.TURIN, 1, 1, 4, 81, 1);
    VcekId fromChipId = VcekId.of(Product.TURIN, KdsVectors.turinChipId(), tcb);
    VcekId fromHwid = VcekId.of(Product.TURIN, KdsVectors.TURIN_HWID, tcb);
    assertThat(fromChipId).isEqualTo(fromHwid);
    assertThat(fromChipId.kdsPathAndQuery()).isEqualTo(
        "/vcek/v1/Turin/1e550a8ee5cf9f4d?fmcSPL=01&blSPL=01&teeSPL=01&snpSPL=04&ucodeSPL=81");
    // Turin layout: fmc byte 0, bl 1, tee 2, snp 3, ucode 7.
    assertThat(fromChipId.tcbHex()).isEqualTo("5100000004010101");
  }

  @Test
  void ofWhenTcbHasReservedBytesThenCanonicalAndEqual() {
    Bytes chip = KdsVectors.chipId(KdsVectors.GENOA);
    TcbVersion tcb = KdsVectors.reportedTcb(KdsVectors.GENOA, Product.GENOA);
    TcbVersion noisy = TcbVersion.decode(Product.GENOA, tcb.raw() | 0x0000_1234_5600_0000L);
    VcekId a = VcekId.of(Product.GENOA, chip, tcb);
    VcekId b = VcekId.of(Product.GENOA, chip, noisy);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(b.tcb().raw()).isEqualTo(0x191700000000000aL);
  }

  @Test
  void ofWhenSizesOrProductsDisagreeThenIllegalArgument() {
    TcbVersion milan = TcbVersion.of(Product.MILAN, 2, 0, 5, 68, 0);
    assertThatThrownBy(() -> VcekId.of(Product.MILAN, Bytes.zeros(63), milan))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VcekId.of(Product.MILAN, KdsVectors.TURIN_HWID, milan))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VcekId.of(Product.TURIN, Bytes.zeros(16), KdsVectors.TURIN_TCB))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VcekId.of(Product.GENOA, KdsVectors.chipId(KdsVectors.GENOA), milan))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VcekId(Product.TURIN, Bytes.zeros(64), KdsVectors.TURIN_TCB))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forLookupWhenChipIdMaskedThenNotFound() {
    assertThatThrownBy(() -> VcekId.forLookup(Product.TURIN, Bytes.zeros(64),
        KdsVectors.TURIN_TCB)).isInstanceOfSatisfying(KdsException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
  }
}
