package dev.carapace.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Source of registered reference values (the RATS "Reference Value Provider"), consulted by an
 * {@link AppraisalPolicy} while it appraises claims. Policies read them as {@code rv["name"]}, a
 * list of strings.
 *
 * <p><b>Names.</b> A reference value is named {@code <tee>.<claim>}, where {@code <claim>} is the
 * last segment of the claim path it is compared with: {@code tdx.mr_td} is compared with {@code
 * claims.tdx.quote.body.mr_td}, {@code snp.measurement} with {@code claims.snp.measurement}. The
 * README of this module lists every name the shipped policies use and the Trustee name each one
 * corresponds to ({@code mr_td}, {@code snp_launch_measurement}, ...). Byte-string values are
 * lower-case hex, as the claims are.
 *
 * <p><b>Expiry.</b> Reference values carry an expiry. Enforcing it is the provider's job: {@link
 * #values} returns only values that have not expired, so a policy never sees an expired value and
 * needs no clock. (Trustee's RVPS stores an expiration but does not check it on query; ours must.)
 *
 * <p>Implementations must be safe to call from several threads. An appraisal calls {@link #values}
 * at most once per name it needs; implementations should answer from memory, since appraisal is on
 * the request path.
 */
@FunctionalInterface
public interface ReferenceValueProvider {

  /**
   * The unexpired values registered under {@code name}, in any order; an empty list when there are
   * none (never null).
   */
  List<String> values(String name);

  /** A provider with no reference values at all. */
  static ReferenceValueProvider none() {
    return name -> List.of();
  }

  /**
   * A provider answering from a fixed map (copied); names not in the map have no values. Handy for
   * tests and for callers that have already filtered out expired values.
   */
  static ReferenceValueProvider of(Map<String, List<String>> values) {
    Map<String, List<String>> frozen = new HashMap<>();
    Objects.requireNonNull(values, "values")
        .forEach((name, list) -> frozen.put(name, List.copyOf(list)));
    Map<String, List<String>> copy = Map.copyOf(frozen);
    return name -> copy.getOrDefault(name, List.of());
  }
}
