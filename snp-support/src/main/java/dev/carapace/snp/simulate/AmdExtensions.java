package dev.carapace.snp.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.VcekExtensions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x509.Extension;
import org.jspecify.annotations.Nullable;

/**
 * The AMD extensions (arc 1.3.6.1.4.1.3704.1) of a VCEK or VLEK, in the order AMD's KDS writes
 * them. Milan/Genoa (structVersion 0): .1, .2, .3.1, .3.2, .3.4-.3.7, .3.3, .3.8, then .4 hwID
 * (64 raw bytes) or .5 cspId. Turin (structVersion 1): .1, .2, .3.9 fmcSPL, .3.1, .3.2, .3.3,
 * .3.5-.3.7, .3.8, then .4 hwID (8 raw bytes) or .5 cspId. SPLs are DER INTEGERs, productName
 * and cspId IA5Strings, hwID raw bytes without a DER tag. All non-critical.
 */
final class AmdExtensions {
  private AmdExtensions() {}

  /** The productName AMD's KDS puts in VCEKs ("Milan-B0" even on B1 parts, see snp.md §2). */
  static String vcekProductName(Product product) {
    return product == Product.MILAN ? "Milan-B0" : product.kdsName();
  }

  /**
   * Extensions certifying {@code tcb}; exactly one of {@code hwId} (VCEK) and {@code cspId}
   * (VLEK) is non-null.
   */
  static List<Extension> of(TcbVersion tcb, String productName, @Nullable Bytes hwId,
      @Nullable String cspId) throws IOException {
    Product product = tcb.product();
    long raw = tcb.raw();
    List<Extension> out = new ArrayList<>();
    out.add(ext(VcekExtensions.STRUCT_VERSION, integer(product.turinTcbLayout() ? 1 : 0)));
    out.add(ext(VcekExtensions.PRODUCT_NAME, new DERIA5String(productName)));
    if (product.turinTcbLayout()) {
      if ((raw & 0x00ff_ffff_0000_0000L) != 0) {
        throw new IllegalArgumentException("a Turin TCB with reserved bytes 4 to 6 set cannot be"
            + " certified, got 0x" + Long.toHexString(raw));
      }
      out.add(ext(VcekExtensions.FMC_SPL, integer(tcb.fmc())));
      out.add(ext(VcekExtensions.BL_SPL, integer(tcb.bootloader())));
      out.add(ext(VcekExtensions.TEE_SPL, integer(tcb.tee())));
      out.add(ext(VcekExtensions.SNP_SPL, integer(tcb.snp())));
      for (int i = 5; i <= 7; i++) {
        out.add(ext(VcekExtensions.ARC + ".3." + i, integer(0)));
      }
    } else {
      out.add(ext(VcekExtensions.BL_SPL, integer(tcb.bootloader())));
      out.add(ext(VcekExtensions.TEE_SPL, integer(tcb.tee())));
      for (int i = 4; i <= 7; i++) {
        // spl4..spl7 are TCB bytes 2..5 (reserved, normally zero).
        out.add(ext(VcekExtensions.ARC + ".3." + i, integer((int) (raw >>> (8 * (i - 2))) & 0xff)));
      }
      out.add(ext(VcekExtensions.SNP_SPL, integer(tcb.snp())));
    }
    out.add(ext(VcekExtensions.UCODE_SPL, integer(tcb.microcode())));
    if ((hwId == null) == (cspId == null)) {
      throw new IllegalArgumentException("exactly one of hwId and cspId is required");
    }
    if (hwId != null) {
      out.add(new Extension(new ASN1ObjectIdentifier(VcekExtensions.HW_ID), false,
          hwId.toByteArray()));
    } else {
      out.add(ext(VcekExtensions.CSP_ID, new DERIA5String(cspId)));
    }
    return out;
  }

  private static ASN1Integer integer(int v) {
    return new ASN1Integer(v);
  }

  private static Extension ext(String oid, ASN1Encodable value) throws IOException {
    return new Extension(new ASN1ObjectIdentifier(oid), false,
        value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
  }
}
