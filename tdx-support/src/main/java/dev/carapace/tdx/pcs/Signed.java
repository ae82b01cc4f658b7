package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * A collateral document together with the exact bytes Intel signed and the signature (r‖s,
 * 64 bytes). The verifier checks {@code signature} over {@code signedBody}; {@code value} is the
 * parse of those same bytes.
 */
public record Signed<T>(T value, Bytes signedBody, Bytes signature) {
  public Signed {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(signedBody, "signedBody");
    Objects.requireNonNull(signature, "signature");
  }
}
