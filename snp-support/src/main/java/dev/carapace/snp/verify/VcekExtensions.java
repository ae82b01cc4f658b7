package dev.carapace.snp.verify;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ReportVerificationException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.jspecify.annotations.Nullable;

/**
 * The AMD extensions of a VCEK or VLEK certificate (OID arc 1.3.6.1.4.1.3704.1).
 *
 * @param structVersion .1 — 0 for Milan/Genoa, 1 for Turin
 * @param productName .2 — for example "Milan-B0", "Genoa", "Turin" (stepping is unreliable)
 * @param blSpl .3.1 boot loader SPL
 * @param teeSpl .3.2 TEE SPL
 * @param snpSpl .3.3 SNP firmware SPL
 * @param ucodeSpl .3.8 microcode SPL
 * @param fmcSpl .3.9 FMC SPL (Turin only), or null
 * @param reservedSpls .3.4 to .3.7 (0 when absent)
 * @param hwId .4 chip ID (64 bytes Milan/Genoa, 8 bytes Turin; VCEK only), or null
 * @param cspId .5 cloud provider ID (VLEK only), or null
 *     <p>Exactly one of hwId and cspId is present. Immutable.
 */
public record VcekExtensions(
    int structVersion,
    String productName,
    int blSpl,
    int teeSpl,
    int snpSpl,
    int ucodeSpl,
    @Nullable Integer fmcSpl,
    List<Integer> reservedSpls,
    @Nullable Bytes hwId,
    @Nullable String cspId) {

  public static final String ARC = "1.3.6.1.4.1.3704.1";
  public static final String STRUCT_VERSION = ARC + ".1";
  public static final String PRODUCT_NAME = ARC + ".2";
  public static final String BL_SPL = ARC + ".3.1";
  public static final String TEE_SPL = ARC + ".3.2";
  public static final String SNP_SPL = ARC + ".3.3";
  public static final String UCODE_SPL = ARC + ".3.8";
  public static final String FMC_SPL = ARC + ".3.9";
  public static final String HW_ID = ARC + ".4";
  public static final String CSP_ID = ARC + ".5";
  /** Every OID this class reads. */
  public static final List<String> OIDS = List.of(STRUCT_VERSION, PRODUCT_NAME, BL_SPL, TEE_SPL,
      SNP_SPL, ARC + ".3.4", ARC + ".3.5", ARC + ".3.6", ARC + ".3.7", UCODE_SPL, FMC_SPL, HW_ID,
      CSP_ID);
  /** Largest extension value accepted; real ones are at most 68 bytes. */
  static final int MAX_VALUE_SIZE = 1024;

  public VcekExtensions {
    Objects.requireNonNull(productName, "productName");
    reservedSpls = List.copyOf(reservedSpls);
    if (reservedSpls.size() != 4) {
      throw new IllegalArgumentException("4 reserved SPLs (.3.4 to .3.7) required");
    }
    for (int v : new int[] {blSpl, teeSpl, snpSpl, ucodeSpl, fmcSpl == null ? 0 : fmcSpl}) {
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("SPL values are bytes, got " + v);
      }
    }
    if ((hwId == null) == (cspId == null)) {
      throw new IllegalArgumentException("exactly one of hwId (VCEK) and cspId (VLEK) is present");
    }
    if (hwId != null && hwId.size() != 8 && hwId.size() != 64) {
      throw new IllegalArgumentException("hwId must be 8 or 64 bytes, got " + hwId.size());
    }
  }

  /** Reads the extensions of a VCEK or VLEK certificate. */
  public static VcekExtensions of(X509Certificate cert) throws ReportVerificationException {
    Map<String, byte[]> values = new HashMap<>();
    for (String oid : OIDS) {
      byte[] v = cert.getExtensionValue(oid);
      if (v != null) {
        values.put(oid, v);
      }
    }
    return parse(values);
  }

  /**
   * Parses extension values keyed by OID, each the DER OCTET STRING that
   * {@link X509Certificate#getExtensionValue} returns. hwID may hold the raw bytes (as AMD issues
   * it) or one more DER OCTET STRING. Only {@link ReportVerificationException} is thrown.
   */
  public static VcekExtensions parse(Map<String, byte[]> values)
      throws ReportVerificationException {
    try {
      int struct = integer(values, STRUCT_VERSION, true, Integer.MAX_VALUE);
      String product = ia5(required(values, PRODUCT_NAME));
      Integer[] reserved = new Integer[4];
      for (int i = 0; i < 4; i++) {
        reserved[i] = integer(values, ARC + ".3." + (i + 4), false, 255);
      }
      Integer fmc = values.containsKey(FMC_SPL) ? integer(values, FMC_SPL, true, 255) : null;
      byte[] hw = values.get(HW_ID);
      byte[] csp = values.get(CSP_ID);
      if ((hw == null) == (csp == null)) {
        throw malformed("exactly one of hwID (VCEK) and cspId (VLEK) must be present");
      }
      return new VcekExtensions(struct, product, integer(values, BL_SPL, true, 255),
          integer(values, TEE_SPL, true, 255), integer(values, SNP_SPL, true, 255),
          integer(values, UCODE_SPL, true, 255), fmc, List.of(reserved),
          hw == null ? null : hwId(hw), csp == null ? null : ia5(csp));
    } catch (IOException | RuntimeException e) {
      throw new ReportVerificationException(Reason.EXTENSIONS_MALFORMED,
          "VCEK/VLEK extensions are malformed: " + e.getMessage(), e);
    }
  }

  /** VCEK when the certificate has a hwID, VLEK when it has a cspId. */
  public SigningKey signingKey() {
    return hwId != null ? SigningKey.VCEK : SigningKey.VLEK;
  }

  /** The product named by {@link #productName()}, ignoring a stepping suffix. */
  public Optional<Product> product() {
    return Product.fromName(productName);
  }

  public OptionalInt fmcSplValue() {
    return fmcSpl == null ? OptionalInt.empty() : OptionalInt.of(fmcSpl);
  }

  public Optional<Bytes> hwIdValue() {
    return Optional.ofNullable(hwId);
  }

  public Optional<String> cspIdValue() {
    return Optional.ofNullable(cspId);
  }

  /**
   * The certified TCB in {@code product}'s layout, with the reserved SPLs in their bytes (Milan
   * and Genoa: bytes 2 to 5). Turin has no place for them and requires an FMC SPL.
   */
  public TcbVersion tcb(Product product) throws ReportVerificationException {
    if (product.turinTcbLayout()) {
      if (fmcSpl == null) {
        throw malformed("a Turin certificate must carry fmcSPL (" + FMC_SPL + ")");
      }
      if (reservedSpls.stream().anyMatch(v -> v != 0)) {
        throw malformed("a Turin certificate has no reserved SPL bytes, found " + reservedSpls);
      }
      return TcbVersion.of(product, blSpl, teeSpl, snpSpl, ucodeSpl, fmcSpl);
    }
    if (fmcSpl != null) {
      throw malformed("only Turin certificates carry fmcSPL");
    }
    TcbVersion base = TcbVersion.of(product, blSpl, teeSpl, snpSpl, ucodeSpl, 0);
    long raw = base.raw();
    for (int i = 0; i < 4; i++) {
      raw |= (reservedSpls.get(i) & 0xffL) << (8 * (i + 2));
    }
    return TcbVersion.decode(product, raw);
  }

  private static byte[] required(Map<String, byte[]> values, String oid)
      throws ReportVerificationException {
    byte[] v = values.get(oid);
    if (v == null) {
      throw malformed("extension " + oid + " is missing");
    }
    return v;
  }

  /** The contents of the extnValue OCTET STRING. */
  private static byte[] unwrap(byte[] extnValue) throws IOException, ReportVerificationException {
    if (extnValue.length > MAX_VALUE_SIZE) {
      throw malformed("extension value is larger than " + MAX_VALUE_SIZE + " bytes");
    }
    if (!(ASN1Primitive.fromByteArray(extnValue) instanceof ASN1OctetString os)) {
      throw malformed("extension value is not an OCTET STRING");
    }
    return os.getOctets();
  }

  private static int integer(Map<String, byte[]> values, String oid, boolean required, int max)
      throws IOException, ReportVerificationException {
    byte[] v = values.get(oid);
    if (v == null) {
      if (required) {
        throw malformed("extension " + oid + " is missing");
      }
      return 0;
    }
    if (!(ASN1Primitive.fromByteArray(unwrap(v)) instanceof ASN1Integer i)) {
      throw malformed("extension " + oid + " is not an INTEGER");
    }
    BigInteger value = i.getValue();
    if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw malformed("extension " + oid + " must be 0 to " + max + ", found " + value);
    }
    return value.intValue();
  }

  private static String ia5(byte[] v) throws IOException, ReportVerificationException {
    if (!(ASN1Primitive.fromByteArray(unwrap(v)) instanceof ASN1IA5String s)) {
      throw malformed("productName and cspId must be IA5Strings");
    }
    return s.getString();
  }

  /** Raw 8 or 64 bytes, or a DER OCTET STRING holding them (go-sev-guest accepts both). */
  private static Bytes hwId(byte[] extnValue) throws IOException, ReportVerificationException {
    byte[] content = unwrap(extnValue);
    if (content.length == 8 || content.length == 64) {
      return Bytes.copyOf(content);
    }
    if ((content.length == 10 || content.length == 66) && content[0] == 0x04
        && (content[1] & 0xff) == content.length - 2) {
      return Bytes.copyOf(content, 2, content.length - 2);
    }
    throw malformed("hwID must be 8 or 64 bytes, raw or as an OCTET STRING; found "
        + content.length + " bytes");
  }

  private static ReportVerificationException malformed(String message) {
    return new ReportVerificationException(Reason.EXTENSIONS_MALFORMED, message);
  }
}
