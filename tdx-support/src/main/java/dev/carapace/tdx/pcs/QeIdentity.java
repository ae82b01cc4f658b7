package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Intel PCS enclave identity of the TD quoting enclave ("TD_QE", version 2). */
public record QeIdentity(
    String id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    long tcbEvaluationDataNumber,
    Bytes miscSelect,
    Bytes miscSelectMask,
    Bytes attributes,
    Bytes attributesMask,
    Bytes mrSigner,
    int isvProdId,
    List<EnclaveTcbLevel> tcbLevels) {
  public QeIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(issueDate, "issueDate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    Objects.requireNonNull(miscSelect, "miscSelect");
    Objects.requireNonNull(miscSelectMask, "miscSelectMask");
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(attributesMask, "attributesMask");
    Objects.requireNonNull(mrSigner, "mrSigner");
    tcbLevels = List.copyOf(tcbLevels);
  }
}
