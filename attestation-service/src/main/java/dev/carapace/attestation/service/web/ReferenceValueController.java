package dev.carapace.attestation.service.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.attestation.service.appraisal.AttestationException;
import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import dev.carapace.attestation.service.appraisal.ReferenceValues;
import dev.carapace.attestation.service.store.ReferenceValue;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference values under {@code /reference-values}: register ({@code {"name": ..., "values":
 * [...], "expiration": "<RFC 3339>"}}, or a Trustee RVPS message {@code {"version": "0.1.0",
 * "type": "sample", "payload": ...}}), list (expired entries included, marked), read, delete.
 * Expired values are never given to policies.
 */
@RestController
public class ReferenceValueController {
  /** A reference value as listed. */
  record ReferenceValueEntry(@JsonProperty("name") String name,
      @JsonProperty("values") List<String> values,
      @JsonProperty("expiration") String expiration,
      @JsonProperty("expired") boolean expired) {}

  private final ReferenceValues referenceValues;
  private final Clock clock;

  public ReferenceValueController(ReferenceValues referenceValues, Clock clock) {
    this.referenceValues = Objects.requireNonNull(referenceValues, "referenceValues");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @PostMapping(path = "/reference-values", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<List<ReferenceValueEntry>> register(@RequestBody JsonNode body)
      throws AttestationException, IOException {
    if (!body.isObject()) {
      throw malformed("the body must be a JSON object");
    }
    List<ReferenceValue> registered;
    if (body.has("payload")) {
      registered = referenceValues.registerRvpsMessage(body);
    } else {
      JsonNode name = body.get("name");
      JsonNode values = body.has("values") ? body.get("values") : body.get("value");
      if (name == null || !name.isTextual() || values == null) {
        throw malformed("a registration needs \"name\" and \"values\"");
      }
      Instant expiration = null;
      JsonNode exp = body.get("expiration");
      if (exp != null && !exp.isNull()) {
        try {
          expiration = Instant.parse(exp.asText());
        } catch (DateTimeParseException e) {
          throw new AttestationException(Reason.INVALID_REFERENCE_VALUE,
              "expiration must be an RFC 3339 UTC instant such as 2030-01-01T00:00:00Z");
        }
      }
      registered = List.of(referenceValues.register(name.asText(), values, expiration));
    }
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(registered.stream().map(this::entry).toList());
  }

  @GetMapping("/reference-values")
  public List<ReferenceValueEntry> list() {
    return referenceValues.list().stream().map(this::entry).toList();
  }

  @GetMapping("/reference-values/{name}")
  public ReferenceValueEntry get(@PathVariable("name") String name) throws AttestationException {
    return entry(referenceValues.get(name));
  }

  @DeleteMapping("/reference-values/{name}")
  public ResponseEntity<Void> delete(@PathVariable("name") String name)
      throws AttestationException, IOException {
    referenceValues.delete(name);
    return ResponseEntity.noContent().build();
  }

  private ReferenceValueEntry entry(ReferenceValue v) {
    return new ReferenceValueEntry(v.name(), v.values(), v.expiration().toString(),
        v.expiredAt(clock.instant()));
  }

  private static AttestationException malformed(String message) {
    return new AttestationException(Reason.MALFORMED_REQUEST, message);
  }
}
