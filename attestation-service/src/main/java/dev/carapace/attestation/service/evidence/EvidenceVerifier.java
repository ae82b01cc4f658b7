package dev.carapace.attestation.service.evidence;

/**
 * Verifies one TEE's evidence (the JSON document its CoCo attester produces) and turns it into
 * claims. Implementations are thread-safe and never fetch anything that was not configured.
 */
public interface EvidenceVerifier {
  /** The {@code tee} string of the verification request ({@code tdx}, {@code snp}, ...). */
  String tee();

  /**
   * Verifies {@code evidence} (the decoded bytes of the request's {@code evidence} field).
   *
   * @throws EvidenceException if it is malformed or does not verify
   */
  VerifiedEvidence verify(byte[] evidence) throws EvidenceException;
}
