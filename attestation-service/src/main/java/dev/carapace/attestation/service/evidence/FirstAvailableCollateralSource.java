package dev.carapace.attestation.service.evidence;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.CollateralSource;
import dev.carapace.tdx.pcs.PckCa;
import java.util.List;

/**
 * Asks sources in order; a source answering {@code NOT_FOUND} is skipped, any other failure is
 * thrown at once (a broken source is not papered over). Thread-safe if the sources are.
 */
record FirstAvailableCollateralSource(List<CollateralSource> sources) implements CollateralSource {
  FirstAvailableCollateralSource {
    sources = List.copyOf(sources);
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no collateral sources");
    }
  }

  @Override
  public Collateral collateralFor(Bytes fmspc, PckCa ca) throws CollateralException {
    CollateralException last = null;
    for (CollateralSource s : sources) {
      try {
        return s.collateralFor(fmspc, ca);
      } catch (CollateralException e) {
        if (e.reason() != CollateralException.Reason.NOT_FOUND) {
          throw e;
        }
        if (last != null) {
          e.addSuppressed(last);
        }
        last = e;
      }
    }
    throw last;
  }
}
