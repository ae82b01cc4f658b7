package dev.carapace.snp.report;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.ReportParseException.Reason;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Parses SEV-SNP ATTESTATION_REPORTs (versions 2 to 5) from exactly 1184 bytes, with the checks
 * go-sev-guest's {@code abi.ReportToProto} makes: reserved ranges zero, valid policy and signer
 * info; plus SIGNATURE_ALGO = 1 and VMPL 0 to 3. Version 4 uses the version 3 layout. Extended
 * reports carry their certificate table separately; pass only the report bytes.
 *
 * <p>Product (and so the TCB layout): for v3+ from the CPUID fields; for v2, Turin when CHIP_ID
 * has the Turin shape (8 significant bytes, rest zero), else Milan, whose layout Genoa shares.
 * {@link #parse(byte[], Product)} takes the product from the caller instead.
 *
 * <p>Guarantee: for any input, {@code parse} either returns a report or throws
 * {@link ReportParseException}; it never throws an unchecked exception, and
 * {@code ReportEncoder.encode(parse(b))} equals {@code b}. Stateless and thread-safe.
 */
public final class ReportParser {
  private ReportParser() {}

  /** Parses a report, taking the product from the report itself (see class comment). */
  public static AttestationReport parse(byte[] raw) throws ReportParseException {
    return parseWith(raw, null);
  }

  /**
   * Parses a report whose product the caller knows (for example from the VCEK or the host).
   * For v3+ reports whose CPUID names a product, that product must be {@code product}.
   */
  public static AttestationReport parse(byte[] raw, Product product) throws ReportParseException {
    return parseWith(raw, Objects.requireNonNull(product, "product"));
  }

  private static AttestationReport parseWith(byte[] raw, @Nullable Product given)
      throws ReportParseException {
    if (raw.length < AttestationReport.SIZE) {
      throw new ReportParseException(Reason.TRUNCATED, "a report is "
          + AttestationReport.SIZE + " bytes, got " + raw.length);
    }
    if (raw.length > AttestationReport.SIZE) {
      throw new ReportParseException(Reason.OVERSIZED, "a report is "
          + AttestationReport.SIZE + " bytes, got " + raw.length);
    }
    long version = u32(raw, 0x00);
    if (version < AttestationReport.MIN_VERSION || version > AttestationReport.MAX_VERSION) {
      throw new ReportParseException(
          Reason.UNSUPPORTED_VERSION, "report version must be 2 to 5, found " + version);
    }
    long policy = u64(raw, 0x08);
    if (!GuestPolicy.isValid(policy)) {
      throw new ReportParseException(Reason.INVALID_POLICY, "policy 0x" + Long.toHexString(policy)
          + " must have bit 17 set and bits 63:26 clear");
    }
    long vmpl = u32(raw, 0x30);
    if (vmpl > 3) {
      throw new ReportParseException(Reason.INVALID_VMPL, "VMPL must be 0 to 3, found " + vmpl);
    }
    long algo = u32(raw, 0x34);
    if (algo != AttestationReport.SIGNATURE_ALGO_ECDSA_P384_SHA384) {
      throw new ReportParseException(Reason.UNSUPPORTED_SIGNATURE_ALGORITHM,
          "signature algorithm must be 1 (ECDSA P-384 with SHA-384), found " + algo);
    }
    long signer = u32(raw, 0x48);
    if (!SignerInfo.isValid(signer)) {
      throw new ReportParseException(Reason.INVALID_SIGNER_INFO, "signer info 0x"
          + Long.toHexString(signer) + " has reserved bits or a reserved signing key code");
    }
    int v = (int) version;
    mbz(raw, 0x4C, 0x50);
    mbz(raw, v >= 3 ? 0x18B : 0x188, 0x1A0);
    mbz(raw, 0x1EB, 0x1EC);
    mbz(raw, 0x1EF, 0x1F0);
    mbz(raw, v >= 5 ? 0x208 : 0x1F8, AttestationReport.SIGNED_SIZE);
    mbz(raw, 0x330, AttestationReport.SIZE);

    Product product = product(raw, v, given);
    return new AttestationReport(
        v,
        u32(raw, 0x04),
        GuestPolicy.fromRaw(policy),
        Bytes.copyOf(raw, 0x10, 16),
        Bytes.copyOf(raw, 0x20, 16),
        (int) vmpl,
        (int) algo,
        TcbVersion.decode(product, u64(raw, 0x38)),
        new PlatformInfo(u64(raw, 0x40)),
        SignerInfo.fromRaw(signer),
        Bytes.copyOf(raw, 0x50, 64),
        Bytes.copyOf(raw, 0x90, 48),
        Bytes.copyOf(raw, 0xC0, 32),
        Bytes.copyOf(raw, 0xE0, 48),
        Bytes.copyOf(raw, 0x110, 48),
        Bytes.copyOf(raw, 0x140, 32),
        Bytes.copyOf(raw, 0x160, 32),
        TcbVersion.decode(product, u64(raw, 0x180)),
        v >= 3 ? raw[0x188] & 0xff : 0,
        v >= 3 ? raw[0x189] & 0xff : 0,
        v >= 3 ? raw[0x18A] & 0xff : 0,
        Bytes.copyOf(raw, 0x1A0, 64),
        TcbVersion.decode(product, u64(raw, 0x1E0)),
        new FirmwareVersion(raw[0x1EA] & 0xff, raw[0x1E9] & 0xff, raw[0x1E8] & 0xff),
        new FirmwareVersion(raw[0x1EE] & 0xff, raw[0x1ED] & 0xff, raw[0x1EC] & 0xff),
        TcbVersion.decode(product, u64(raw, 0x1F0)),
        v >= 5 ? u64(raw, 0x1F8) : 0,
        v >= 5 ? u64(raw, 0x200) : 0,
        Bytes.copyOf(raw, 0x2A0, 72),
        Bytes.copyOf(raw, 0x2E8, 72));
  }

  private static Product product(byte[] raw, int version, @Nullable Product given)
      throws ReportParseException {
    if (version >= 3) {
      int family = raw[0x188] & 0xff;
      int model = raw[0x189] & 0xff;
      Optional<Product> fromCpuid = Product.fromCpuid(family, model);
      if (fromCpuid.isEmpty()) {
        if (given != null) {
          return given;
        }
        throw new ReportParseException(Reason.UNKNOWN_PRODUCT, String.format(
            "CPUID family 0x%02x model 0x%02x is not Milan, Genoa or Turin", family, model));
      }
      if (given != null && fromCpuid.get() != given) {
        throw new ReportParseException(Reason.PRODUCT_MISMATCH, String.format(
            "CPUID family 0x%02x model 0x%02x is %s, not %s", family, model, fromCpuid.get(),
            given));
      }
      return fromCpuid.get();
    }
    if (given != null) {
      return given;
    }
    return isTurinChipId(raw) ? Product.TURIN : Product.MILAN;
  }

  /** virtee/sev's {@code chip_id_is_turin_like}: bytes 8..63 zero, bytes 0..7 not all zero. */
  private static boolean isTurinChipId(byte[] raw) {
    int head = 0;
    int tail = 0;
    for (int i = 0; i < 64; i++) {
      if (i < 8) {
        head |= raw[0x1A0 + i];
      } else {
        tail |= raw[0x1A0 + i];
      }
    }
    return head != 0 && tail == 0;
  }

  private static void mbz(byte[] raw, int from, int to) throws ReportParseException {
    for (int i = from; i < to; i++) {
      if (raw[i] != 0) {
        throw new ReportParseException(Reason.RESERVED_NOT_ZERO, String.format(
            "reserved range [0x%x, 0x%x) must be zero, byte 0x%x is 0x%02x", from, to, i,
            raw[i] & 0xff));
      }
    }
  }

  static long u32(byte[] b, int off) {
    return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }

  static long u64(byte[] b, int off) {
    return u32(b, off) | u32(b, off + 4) << 32;
  }
}
