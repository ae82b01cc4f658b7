package dev.carapace.tdx.verify;

import dev.carapace.tdx.pcs.TcbStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of matching a platform against TCB Info and QE Identity, as Intel QVL computes it.
 *
 * @param status the converged status (platform TDX level, TDX module, QE)
 * @param platformStatus status of the matched platform TCB level alone
 * @param tdxModuleStatus status of the TDX module identity level, null when tee_tcb_svn[1] is 0
 * @param qeStatus status of the matched QE Identity level
 * @param tcbDate tcbDate of the matched platform level
 * @param advisoryIds advisory IDs of the matched platform, module and QE levels, deduplicated
 * @param tcbEvaluationDataNumber of the TCB Info used
 */
public record TcbEvaluation(
    TcbStatus status,
    TcbStatus platformStatus,
    @Nullable TcbStatus tdxModuleStatus,
    TcbStatus qeStatus,
    Instant tcbDate,
    List<String> advisoryIds,
    long tcbEvaluationDataNumber) {
  public TcbEvaluation {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(platformStatus, "platformStatus");
    Objects.requireNonNull(qeStatus, "qeStatus");
    Objects.requireNonNull(tcbDate, "tcbDate");
    advisoryIds = List.copyOf(advisoryIds);
  }

  public Optional<TcbStatus> tdxModuleStatusValue() {
    return Optional.ofNullable(tdxModuleStatus);
  }
}
