package dev.carapace.tdx.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.quote.TdAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a simulated TD asks to have quoted: the TD measurements and report data that go into a
 * TDX 1.0 quote body. Build one with {@link #builder()} (defaults: zero measurements and report
 * data, TD attributes SEPT_VE_DISABLE, XFAM {@code e702060000000000}) or {@link #of}. Immutable.
 *
 * @param mrTd 48 bytes
 * @param rtmrs exactly four 48-byte registers
 * @param tdAttributes 8 bytes (little-endian u64 as in the quote)
 * @param xfam 8 bytes
 * @param reportData 64 bytes
 * @param mrConfigId 48 bytes
 * @param mrOwner 48 bytes
 * @param mrOwnerConfig 48 bytes
 * @param teeTcbSvn 16 bytes overriding the platform's TEE_TCB_SVN, or null to use the platform's
 */
public record TdQuoteRequest(
    Bytes mrTd,
    List<Bytes> rtmrs,
    Bytes tdAttributes,
    Bytes xfam,
    Bytes reportData,
    Bytes mrConfigId,
    Bytes mrOwner,
    Bytes mrOwnerConfig,
    @Nullable Bytes teeTcbSvn) {

  /** XFAM of a typical Linux TD (x87, SSE, AVX, AVX-512, PKRU, AMX bits as Intel samples). */
  public static final Bytes DEFAULT_XFAM = Bytes.fromHex("e702060000000000");

  public TdQuoteRequest {
    size(mrTd, 48, "mrTd");
    rtmrs = List.copyOf(rtmrs);
    if (rtmrs.size() != 4) {
      throw new IllegalArgumentException("rtmrs must hold 4 registers, got " + rtmrs.size());
    }
    for (int i = 0; i < 4; i++) {
      size(rtmrs.get(i), 48, "rtmr" + i);
    }
    size(tdAttributes, 8, "tdAttributes");
    size(xfam, 8, "xfam");
    size(reportData, 64, "reportData");
    size(mrConfigId, 48, "mrConfigId");
    size(mrOwner, 48, "mrOwner");
    size(mrOwnerConfig, 48, "mrOwnerConfig");
    if (teeTcbSvn != null) {
      size(teeTcbSvn, 16, "teeTcbSvn");
    }
  }

  /** A request with the given MRTD and report data and every other field at its default. */
  public static TdQuoteRequest of(Bytes mrTd, Bytes reportData) {
    return builder().mrTd(mrTd).reportData(reportData).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<Bytes> teeTcbSvnValue() {
    return Optional.ofNullable(teeTcbSvn);
  }

  private static void size(Bytes b, int n, String name) {
    Objects.requireNonNull(b, name);
    if (b.size() != n) {
      throw new IllegalArgumentException(name + " must be " + n + " bytes, got " + b.size());
    }
  }

  /** Little-endian encoding of a TD attributes value, as the quote carries it. */
  static Bytes le64(long v) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (v >>> (8 * i));
    }
    return Bytes.copyOf(out);
  }

  /** Mutable builder; not thread-safe. Sizes are checked by {@link #build()}. */
  public static final class Builder {
    private Bytes mrTd = Bytes.zeros(48);
    private List<Bytes> rtmrs = List.of(Bytes.zeros(48), Bytes.zeros(48), Bytes.zeros(48),
        Bytes.zeros(48));
    private Bytes tdAttributes = le64(TdAttributes.SEPT_VE_DISABLE);
    private Bytes xfam = DEFAULT_XFAM;
    private Bytes reportData = Bytes.zeros(64);
    private Bytes mrConfigId = Bytes.zeros(48);
    private Bytes mrOwner = Bytes.zeros(48);
    private Bytes mrOwnerConfig = Bytes.zeros(48);
    private @Nullable Bytes teeTcbSvn;

    private Builder() {}

    public Builder mrTd(Bytes v) {
      mrTd = v;
      return this;
    }

    public Builder rtmrs(List<Bytes> v) {
      rtmrs = List.copyOf(v);
      return this;
    }

    public Builder tdAttributes(Bytes v) {
      tdAttributes = v;
      return this;
    }

    /** TD attributes from the u64 value (for example {@link TdAttributes#DEBUG} bits). */
    public Builder tdAttributes(long v) {
      tdAttributes = le64(v);
      return this;
    }

    public Builder xfam(Bytes v) {
      xfam = v;
      return this;
    }

    public Builder reportData(Bytes v) {
      reportData = v;
      return this;
    }

    public Builder mrConfigId(Bytes v) {
      mrConfigId = v;
      return this;
    }

    public Builder mrOwner(Bytes v) {
      mrOwner = v;
      return this;
    }

    public Builder mrOwnerConfig(Bytes v) {
      mrOwnerConfig = v;
      return this;
    }

    public Builder teeTcbSvn(@Nullable Bytes v) {
      teeTcbSvn = v;
      return this;
    }

    public TdQuoteRequest build() {
      return new TdQuoteRequest(mrTd, rtmrs, tdAttributes, xfam, reportData, mrConfigId,
          mrOwner, mrOwnerConfig, teeTcbSvn);
    }
  }
}
