package dev.carapace.keybroker.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.kbs.protocol.Messages.InitData;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the broker asks an attestation service to verify for one {@code /attest}: the TEE from
 * the session, the primary evidence as sent, the structured runtime data the broker rebuilt from
 * the session nonce and the typed TEE key, and the init data if any.
 */
public record AttestationCall(String tee, JsonNode primaryEvidence,
    ObjectNode structuredRuntimeData, @Nullable InitData initData) {
  public AttestationCall {
    Objects.requireNonNull(tee, "tee");
    Objects.requireNonNull(primaryEvidence, "primaryEvidence");
    Objects.requireNonNull(structuredRuntimeData, "structuredRuntimeData");
  }
}
