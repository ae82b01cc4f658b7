package dev.carapace.attestation.service.web;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * The stable problem types of the API: {@code type} is {@value #BASE} followed by the lower-case,
 * hyphenated name (for example {@code .../report-data-mismatch}), and never changes meaning.
 * Evidence and request reasons share their names with {@code EvidenceException.Reason} and
 * {@code AttestationException.Reason}.
 */
public enum ProblemType {
  // request shape
  MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
  UNSUPPORTED_TEE(HttpStatus.BAD_REQUEST, "Unsupported TEE"),
  INVALID_RUNTIME_DATA(HttpStatus.BAD_REQUEST, "Invalid runtime data"),
  INVALID_INIT_DATA(HttpStatus.BAD_REQUEST, "Invalid init data"),
  PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "Request body too large"),
  // evidence
  MALFORMED_EVIDENCE(HttpStatus.BAD_REQUEST, "Malformed evidence"),
  UNTRUSTED_ROOT(HttpStatus.FORBIDDEN, "Evidence chains to an untrusted root"),
  SIGNATURE_INVALID(HttpStatus.FORBIDDEN, "Evidence signature invalid"),
  CERTIFICATE_INVALID(HttpStatus.FORBIDDEN, "Evidence certificate invalid"),
  TCB_REVOKED(HttpStatus.FORBIDDEN, "TCB revoked"),
  TCB_UNRECOGNIZED(HttpStatus.FORBIDDEN, "TCB not recognized"),
  COLLATERAL_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Collateral unavailable"),
  COLLATERAL_INVALID(HttpStatus.SERVICE_UNAVAILABLE, "Collateral invalid"),
  EVENT_LOG_MISMATCH(HttpStatus.FORBIDDEN, "Event log does not match the measurements"),
  VMPL_NOT_ZERO(HttpStatus.FORBIDDEN, "Report not from VMPL 0"),
  // bindings and challenges
  REPORT_DATA_MISMATCH(HttpStatus.FORBIDDEN, "Report data does not bind the runtime data"),
  INIT_DATA_MISMATCH(HttpStatus.FORBIDDEN, "Init data not bound by the evidence"),
  CHALLENGE_REQUIRED(HttpStatus.FORBIDDEN, "Challenge nonce required"),
  CHALLENGE_INVALID(HttpStatus.FORBIDDEN, "Challenge nonce unknown, expired or reused"),
  CHALLENGE_CAPACITY(HttpStatus.SERVICE_UNAVAILABLE, "Too many outstanding challenges"),
  // administration
  POLICY_NOT_FOUND(HttpStatus.NOT_FOUND, "Policy not found"),
  INVALID_POLICY(HttpStatus.BAD_REQUEST, "Invalid policy"),
  POLICY_EVALUATION_FAILED(HttpStatus.UNPROCESSABLE_ENTITY, "Policy evaluation failed"),
  REFERENCE_VALUE_NOT_FOUND(HttpStatus.NOT_FOUND, "Reference value not found"),
  INVALID_REFERENCE_VALUE(HttpStatus.BAD_REQUEST, "Invalid reference value"),
  // HTTP
  NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
  NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
  STORAGE_FAILURE(HttpStatus.INTERNAL_SERVER_ERROR, "Storage failure"),
  INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

  public static final String BASE = "https://carapace.dev/problems/";

  private final HttpStatus status;
  private final String title;
  private final URI type;

  ProblemType(HttpStatus status, String title) {
    this.status = status;
    this.title = title;
    this.type = URI.create(BASE + name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  public URI type() {
    return type;
  }
}
