package dev.carapace.tdx.pcs;

import java.util.Optional;

/** TCB status values of Intel TCB Info / QE Identity, plus the two that Intel QVL derives. */
public enum TcbStatus {
  UP_TO_DATE("UpToDate"),
  SW_HARDENING_NEEDED("SWHardeningNeeded"),
  CONFIGURATION_NEEDED("ConfigurationNeeded"),
  CONFIGURATION_AND_SW_HARDENING_NEEDED("ConfigurationAndSWHardeningNeeded"),
  OUT_OF_DATE("OutOfDate"),
  OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded"),
  REVOKED("Revoked"),
  TD_RELAUNCH_ADVISED("TDRelaunchAdvised"),
  TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED("TDRelaunchAdvisedConfigurationNeeded");

  private final String jsonName;

  TcbStatus(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The spelling Intel PCS uses. */
  public String jsonName() {
    return jsonName;
  }

  public static Optional<TcbStatus> fromJsonName(String name) {
    for (TcbStatus s : values()) {
      if (s.jsonName.equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
