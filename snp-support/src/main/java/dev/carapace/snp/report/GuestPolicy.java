package dev.carapace.snp.report;

/**
 * The guest policy the VM was launched with (POLICY, u64 at offset 0x08). Bit 17 is reserved and
 * must be 1, bits 63:26 must be zero; every other bit is a field here, so {@link #toRaw()}
 * reproduces the raw value exactly.
 *
 * @param abiMinor minimum firmware ABI minor version the guest requires (bits 7:0)
 * @param abiMajor minimum firmware ABI major version the guest requires (bits 15:8)
 * @param smt SMT may be enabled on the host (bit 16)
 * @param migrateMa a migration agent may be associated with the guest (bit 18)
 * @param debug the host may debug the guest (bit 19)
 * @param singleSocket the guest may run on one socket only (bit 20)
 * @param cxlAllow CXL may be populated with guest memory (bit 21)
 * @param memAes256Xts AES-256-XTS is required for memory encryption (bit 22)
 * @param raplDis RAPL must be disabled (bit 23)
 * @param ciphertextHiding ciphertext hiding for DRAM must be enabled (bit 24)
 * @param pageSwapDisable page swap (SNP_PAGE_MOVE/SWAP_OUT) is disabled (bit 25, report v5)
 */
public record GuestPolicy(
    int abiMinor,
    int abiMajor,
    boolean smt,
    boolean migrateMa,
    boolean debug,
    boolean singleSocket,
    boolean cxlAllow,
    boolean memAes256Xts,
    boolean raplDis,
    boolean ciphertextHiding,
    boolean pageSwapDisable) {

  public static final long RESERVED_MUST_BE_ONE = 1L << 17;
  /** Bits 63:26. */
  public static final long MUST_BE_ZERO = ~((1L << 26) - 1);

  public GuestPolicy {
    Fields.u8(abiMinor, "abiMinor");
    Fields.u8(abiMajor, "abiMajor");
  }

  /** True when bit 17 is set and bits 63:26 are clear. */
  public static boolean isValid(long raw) {
    return (raw & RESERVED_MUST_BE_ONE) != 0 && (raw & MUST_BE_ZERO) == 0;
  }

  /** Decodes a valid raw value; see {@link #isValid}. */
  public static GuestPolicy fromRaw(long raw) {
    if (!isValid(raw)) {
      throw new IllegalArgumentException("invalid guest policy 0x" + Long.toHexString(raw));
    }
    return new GuestPolicy((int) raw & 0xff, (int) (raw >>> 8) & 0xff, bit(raw, 16), bit(raw, 18),
        bit(raw, 19), bit(raw, 20), bit(raw, 21), bit(raw, 22), bit(raw, 23), bit(raw, 24),
        bit(raw, 25));
  }

  public long toRaw() {
    return abiMinor | (long) abiMajor << 8 | RESERVED_MUST_BE_ONE | flag(smt, 16)
        | flag(migrateMa, 18) | flag(debug, 19) | flag(singleSocket, 20) | flag(cxlAllow, 21)
        | flag(memAes256Xts, 22) | flag(raplDis, 23) | flag(ciphertextHiding, 24)
        | flag(pageSwapDisable, 25);
  }

  private static boolean bit(long raw, int bit) {
    return (raw >>> bit & 1) != 0;
  }

  private static long flag(boolean set, int bit) {
    return set ? 1L << bit : 0;
  }
}
