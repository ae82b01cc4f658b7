package dev.carapace.tdx.pcs;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A TCB level keyed by one ISV SVN: QE identity levels and TDX module identity levels. */
public record EnclaveTcbLevel(int isvSvn, Instant tcbDate, TcbStatus status, List<String> advisoryIds) {
  public EnclaveTcbLevel {
    Objects.requireNonNull(tcbDate, "tcbDate");
    Objects.requireNonNull(status, "status");
    advisoryIds = List.copyOf(advisoryIds);
  }
}
