package dev.carapace.attestation.service.web;

import dev.carapace.attestation.service.appraisal.AttestationException;
import dev.carapace.attestation.service.evidence.EvidenceException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one mapping of failures to RFC 7807 problem details: every error answer has a stable
 * {@code type} ({@link ProblemType}), a {@code title}, a {@code detail} that states what was
 * expected and found (never evidence, keys or tokens), and the request path as {@code
 * instance}. Evidence failures add {@code verifier_reason} (the library's reason code), invalid
 * policies {@code line}.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  @ExceptionHandler(AttestationException.class)
  ResponseEntity<Object> attestation(AttestationException e, HttpServletRequest request) {
    ProblemDetail p = problem(ProblemType.valueOf(e.reason().name()), e.getMessage(), request);
    if (e.line() != null) {
      p.setProperty("line", e.line());
    }
    return answer(p);
  }

  @ExceptionHandler(EvidenceException.class)
  ResponseEntity<Object> evidence(EvidenceException e, HttpServletRequest request) {
    ProblemDetail p = problem(ProblemType.valueOf(e.reason().name()), e.getMessage(), request);
    if (e.verifierReason() != null) {
      p.setProperty("verifier_reason", e.verifierReason());
    }
    return answer(p);
  }

  @ExceptionHandler(PayloadTooLargeException.class)
  ResponseEntity<Object> tooLarge(PayloadTooLargeException e, HttpServletRequest request) {
    return answer(problem(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage(), request));
  }

  @ExceptionHandler(IOException.class)
  ResponseEntity<Object> storage(IOException e, HttpServletRequest request) {
    if (e instanceof PayloadTooLargeException t) {
      return tooLarge(t, request);
    }
    LOG.error("storage failure on {}", request.getRequestURI(), e);
    return answer(problem(ProblemType.STORAGE_FAILURE, "the service could not read or write its "
        + "data directory", request));
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<Object> unexpected(RuntimeException e, HttpServletRequest request) {
    LOG.error("unexpected failure on {}", request.getRequestURI(), e);
    return answer(problem(ProblemType.INTERNAL_ERROR, "unexpected failure", request));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status,
      WebRequest request) {
    String path = path(request);
    if (causedByTooLarge(e)) {
      return answer(problem(ProblemType.PAYLOAD_TOO_LARGE, "request body too large", path));
    }
    return answer(problem(ProblemType.MALFORMED_REQUEST,
        "the request body is not the documented JSON", path));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemType type;
    if (e instanceof NoResourceFoundException) {
      type = ProblemType.NOT_FOUND;
    } else if (e instanceof HttpRequestMethodNotSupportedException) {
      type = ProblemType.METHOD_NOT_ALLOWED;
    } else if (e instanceof HttpMediaTypeNotSupportedException) {
      type = ProblemType.UNSUPPORTED_MEDIA_TYPE;
    } else if (e instanceof HttpMediaTypeNotAcceptableException) {
      type = ProblemType.NOT_ACCEPTABLE;
    } else if (status.is4xxClientError()) {
      type = ProblemType.MALFORMED_REQUEST;
    } else {
      type = ProblemType.INTERNAL_ERROR;
    }
    ProblemDetail p = problem(type, type == ProblemType.MALFORMED_REQUEST
        ? "the request is not valid for this endpoint" : type.title(), path(request));
    p.setStatus(status.value());
    ResponseEntity<Object> r = answer(p);
    return ResponseEntity.status(status).headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(r.getBody());
  }

  private static boolean causedByTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PayloadTooLargeException) {
        return true;
      }
    }
    return false;
  }

  private static String path(WebRequest request) {
    return request instanceof ServletWebRequest s ? s.getRequest().getRequestURI() : "";
  }

  private static ProblemDetail problem(ProblemType type, @Nullable String detail,
      HttpServletRequest request) {
    return problem(type, detail, request.getRequestURI());
  }

  private static ProblemDetail problem(ProblemType type, @Nullable String detail, String path) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(type.status(), detail);
    p.setType(type.type());
    p.setTitle(type.title());
    if (!path.isEmpty()) {
      try {
        p.setInstance(URI.create(path));
      } catch (IllegalArgumentException e) {
        // a path that is not a valid URI reference: leave instance out
      }
    }
    return p;
  }

  private static ResponseEntity<Object> answer(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }
}
