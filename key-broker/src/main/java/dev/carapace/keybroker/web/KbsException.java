package dev.carapace.keybroker.web;

import dev.carapace.kbs.protocol.ErrorInformation;
import org.springframework.http.HttpStatus;

/**
 * A failed KBS request: the status and Trustee's error name (the last segment of the type URI).
 * Trustee answers 404 only for bad paths and unknown plugins and 401 for everything else, and
 * CoCo guests re-attest on 401; this broker follows that, and answers 404 for a resource that
 * does not exist once the requester is authorized to read it, and 413 for oversized bodies.
 */
public final class KbsException extends Exception {
  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String name;

  public KbsException(HttpStatus status, String name, String detail) {
    super(detail);
    this.status = status;
    this.name = name;
  }

  public static KbsException unauthorized(String name, String detail) {
    return new KbsException(HttpStatus.UNAUTHORIZED, name, detail);
  }

  public HttpStatus status() {
    return status;
  }

  public ErrorInformation info() {
    return ErrorInformation.of(name, getMessage());
  }
}
