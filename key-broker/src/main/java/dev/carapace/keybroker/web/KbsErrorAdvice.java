package dev.carapace.keybroker.web;

import dev.carapace.kbs.protocol.ErrorInformation;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.Messages;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every failure as Trustee's {@code {"type", "detail"}} body, which CoCo guests parse on every
 * non-200 answer. Unexpected errors are logged here and answered without internals.
 */
@RestControllerAdvice
public class KbsErrorAdvice {
  private static final Logger LOG = LoggerFactory.getLogger(KbsErrorAdvice.class);

  @ExceptionHandler(KbsException.class)
  ResponseEntity<String> kbs(KbsException e) {
    return body(e.status(), e.info());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
    return body(HttpStatus.NOT_FOUND, ErrorInformation.of("InvalidRequestPath",
        "method " + e.getMethod() + " is not supported here"));
  }

  @ExceptionHandler(IOException.class)
  ResponseEntity<String> io(IOException e) {
    LOG.error("storage failure", e);
    return body(HttpStatus.INTERNAL_SERVER_ERROR, ErrorInformation.of("PluginInternalError",
        "the broker's storage failed; nothing was released or changed"));
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<String> unexpected(RuntimeException e) {
    LOG.error("unexpected failure", e);
    return body(HttpStatus.INTERNAL_SERVER_ERROR, ErrorInformation.of("PluginInternalError",
        "internal error"));
  }

  static ResponseEntity<String> body(HttpStatus status, ErrorInformation info) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
        .body(KbsJson.write(Messages.toJson(info)));
  }
}
