package dev.carapace.guest.wire;

import java.util.Objects;

/**
 * A KBS error body, {@code {"type": "https://github.com/confidential-containers/kbs/errors/<Name>",
 * "detail": "..."}} (RFC 7807 style, kbs-types {@code ErrorInformation}).
 */
public record ErrorInformation(String type, String detail) {
  /** Prefix of Trustee's error type URIs. */
  public static final String TYPE_PREFIX = "https://github.com/confidential-containers/kbs/errors/";

  public ErrorInformation {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }

  /** The last path segment of {@link #type()}, e.g. {@code PolicyDeny}. */
  public String name() {
    int slash = type.lastIndexOf('/');
    return slash < 0 ? type : type.substring(slash + 1);
  }
}
