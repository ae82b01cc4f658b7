package dev.carapace.keybroker.attest;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * An attestation service as the broker uses it: evidence in, signed EAR JWT out, and the keys
 * that verify its tokens. Implementations: {@link BuiltInAttestor} (in-process) and
 * {@link RemoteAttestor} (Trustee-compatible REST). Thread-safe.
 */
public interface Attestor {
  /** Verifies and appraises the evidence; the EAR JWT, whatever its status. */
  String attest(AttestationCall call) throws AttestationRefusedException;

  /** The keys that verify this service's tokens ({@code refresh} after an unknown key id). */
  JWKSet tokenKeys(boolean refresh) throws AttestationRefusedException;
}
