package dev.carapace.guest.attester;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * What one configfs-tsm report entry returned.
 *
 * @param provider the {@code provider} attribute ({@code tdx_guest}, {@code sev_guest})
 * @param generation the {@code generation} attribute after reading (number of writes)
 * @param outblob the report or quote
 * @param auxblob the auxiliary blob (SEV-SNP certificate table); empty when not read or empty
 */
public record TsmReport(String provider, long generation, Bytes outblob, Bytes auxblob) {
  public TsmReport {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(outblob, "outblob");
    Objects.requireNonNull(auxblob, "auxblob");
  }
}
