package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;

/**
 * Supplies collateral for a platform. Implementations: {@link PcsCollateralSource} (Intel PCS or
 * a PCCS over HTTP, cached), {@link DirectoryCollateralSource} (files), and
 * {@link StaticCollateralSource}. Implementations must be thread-safe.
 */
public interface CollateralSource {
  /**
   * Collateral for the platform with this FMSPC whose PCK certificate was issued by {@code ca}.
   *
   * @param fmspc 6-byte FMSPC from the PCK certificate
   */
  Collateral collateralFor(Bytes fmspc, PckCa ca) throws CollateralException;
}
