package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * Serves one fixed collateral set whatever the FMSPC (a bundle file, tests, benchmarks). The
 * verifier still checks that the TCB Info's FMSPC matches the quote. Thread-safe.
 */
public final class StaticCollateralSource implements CollateralSource {
  private final Collateral collateral;

  public StaticCollateralSource(Collateral collateral) {
    this.collateral = Objects.requireNonNull(collateral, "collateral");
  }

  @Override
  public Collateral collateralFor(Bytes fmspc, PckCa ca) {
    return collateral;
  }
}
