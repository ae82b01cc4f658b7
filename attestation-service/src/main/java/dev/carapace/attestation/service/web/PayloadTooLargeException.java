package dev.carapace.attestation.service.web;

import java.io.IOException;

/** A request body passed the configured size limit while it was being read. */
final class PayloadTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  PayloadTooLargeException(long limit) {
    super("request body exceeds " + limit + " bytes");
  }
}
