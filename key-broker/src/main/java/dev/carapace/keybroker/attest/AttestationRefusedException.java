package dev.carapace.keybroker.attest;

/** The attestation service did not issue a token for the evidence; the message says why. */
public final class AttestationRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public AttestationRefusedException(String message) {
    super(message);
  }

  public AttestationRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
