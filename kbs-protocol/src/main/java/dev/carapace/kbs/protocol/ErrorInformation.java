package dev.carapace.kbs.protocol;

import java.util.Objects;

/**
 * The KBS error body ({@code {"type": ..., "detail": ...}}, kbs-types {@code ErrorInformation}).
 * CoCo guests parse it on every non-200 answer, so every error a KBS sends must be one.
 */
public record ErrorInformation(String type, String detail) {
  /** Prefix of Trustee's error type URIs; the suffix is the error name. */
  public static final String TYPE_PREFIX = "https://github.com/confidential-containers/kbs/errors/";

  public ErrorInformation {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }

  /** An error of Trustee's kind {@code name} (for example {@code PolicyDeny}). */
  public static ErrorInformation of(String name, String detail) {
    return new ErrorInformation(TYPE_PREFIX + name, detail);
  }

  /** The error name: the type URI without Trustee's prefix, or the whole type otherwise. */
  public String name() {
    return type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
  }
}
