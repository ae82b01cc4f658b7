package dev.carapace.tdx.pcs;

/** Which Intel PCK CA issued a PCK certificate; selects the PCK CRL. */
public enum PckCa {
  PLATFORM("platform", "Intel SGX PCK Platform CA"),
  PROCESSOR("processor", "Intel SGX PCK Processor CA");

  private final String queryValue;
  private final String commonName;

  PckCa(String queryValue, String commonName) {
    this.queryValue = queryValue;
    this.commonName = commonName;
  }

  /** The {@code ca=} query value of the PCS pckcrl endpoint. */
  public String queryValue() {
    return queryValue;
  }

  public String commonName() {
    return commonName;
  }
}
