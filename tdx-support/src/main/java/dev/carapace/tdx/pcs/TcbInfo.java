package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Intel PCS TDX TCB Info (version 3), as parsed; signature checks happen in the verifier. */
public record TcbInfo(
    String id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    Bytes fmspc,
    Bytes pceId,
    int tcbType,
    long tcbEvaluationDataNumber,
    @Nullable TdxModuleIdentity tdxModule,
    List<TdxModuleIdentity> tdxModuleIdentities,
    List<TcbLevel> tcbLevels) {
  public TcbInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(issueDate, "issueDate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    Objects.requireNonNull(fmspc, "fmspc");
    Objects.requireNonNull(pceId, "pceId");
    tdxModuleIdentities = List.copyOf(tdxModuleIdentities);
    tcbLevels = List.copyOf(tcbLevels);
  }

  public Optional<TdxModuleIdentity> tdxModuleValue() {
    return Optional.ofNullable(tdxModule);
  }
}
