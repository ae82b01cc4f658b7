package dev.carapace.tdx.pcs;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A platform TCB level of TDX TCB Info v3.
 *
 * @param sgxComponents the 16 SGX TCB components
 * @param pceSvn PCE security version
 * @param tdxComponents the 16 TDX TCB components
 */
public record TcbLevel(
    List<TcbComponent> sgxComponents,
    int pceSvn,
    List<TcbComponent> tdxComponents,
    Instant tcbDate,
    TcbStatus status,
    List<String> advisoryIds) {
  public static final int COMPONENTS = 16;

  public TcbLevel {
    sgxComponents = List.copyOf(sgxComponents);
    tdxComponents = List.copyOf(tdxComponents);
    Objects.requireNonNull(tcbDate, "tcbDate");
    Objects.requireNonNull(status, "status");
    advisoryIds = List.copyOf(advisoryIds);
  }
}
