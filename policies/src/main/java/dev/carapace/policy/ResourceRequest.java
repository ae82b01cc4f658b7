package dev.carapace.policy;

import java.util.Objects;

/**
 * A key broker resource being asked for, addressed as KBS does: {@code
 * /kbs/v0/resource/<repository>/<type>/<tag>}.
 *
 * @param repository first path segment, e.g. {@code default}
 * @param type second path segment, e.g. {@code key}
 * @param tag third path segment, e.g. {@code model-1}
 */
public record ResourceRequest(String repository, String type, String tag) {

  /**
   * Checks that each segment is non-empty and contains no {@code '/'}.
   *
   * @throws IllegalArgumentException if a segment is empty or contains {@code '/'}
   */
  public ResourceRequest {
    check("repository", repository);
    check("type", type);
    check("tag", tag);
  }

  private static void check(String name, String segment) {
    Objects.requireNonNull(segment, name);
    if (segment.isEmpty() || segment.indexOf('/') >= 0) {
      throw new IllegalArgumentException(name + " must be a non-empty path segment without '/'");
    }
  }

  /** {@code repository/type/tag}. */
  public String path() {
    return repository + "/" + type + "/" + tag;
  }
}
