package dev.carapace.attestation.service.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A named set of acceptable values with an expiry, stored like Trustee's RVPS does ({@code
 * {"version":"0.1.0","name":...,"expiration":...,"value":[...]}}).
 *
 * @param version always {@value #VERSION}
 * @param name the reference value id that policies look up
 * @param expiration after this instant the values are no longer given to policies
 * @param values the acceptable values, as strings
 */
public record ReferenceValue(
    @JsonProperty("version") String version,
    @JsonProperty("name") String name,
    @JsonProperty("expiration") Instant expiration,
    @JsonProperty("value") List<String> values) {
  public static final String VERSION = "0.1.0";

  public ReferenceValue {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expiration, "expiration");
    values = List.copyOf(values);
  }

  public ReferenceValue(String name, Instant expiration, List<String> values) {
    this(VERSION, name, expiration, values);
  }

  /** True at and after {@link #expiration()}. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiration);
  }
}
