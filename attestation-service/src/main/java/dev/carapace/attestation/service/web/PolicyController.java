package dev.carapace.attestation.service.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.carapace.attestation.service.appraisal.AttestationException;
import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import dev.carapace.attestation.service.appraisal.PolicyCatalog;
import dev.carapace.attestation.service.appraisal.PolicyCatalog.PolicyInfo;
import dev.carapace.attestation.service.appraisal.PolicyEngine.CompiledPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Appraisal policy administration under {@code /policy}: list, read, upload (validated: unknown
 * fields and CEL type errors are refused with the line and reason) and delete. {@code POST
 * /policy} takes Trustee's {@code {"policy_id": ..., "policy": "<base64url>"}}.
 */
@RestController
public class PolicyController {
  /** A listing entry; {@code policy-id} as Trustee names it. */
  record PolicyEntry(@JsonProperty("policy-id") String id,
      @JsonProperty("version") String version,
      @JsonProperty("description") String description,
      @JsonProperty("built_in") boolean builtIn) {
    static PolicyEntry of(PolicyInfo i) {
      return new PolicyEntry(i.id(), i.version(), i.description(), i.builtIn());
    }
  }

  /** Trustee's policy upload. */
  record TrusteePolicy(@JsonProperty("policy_id") @Nullable String policyId,
      @JsonProperty("policy") @Nullable String policy,
      @JsonProperty("type") @Nullable String type) {}

  private final PolicyCatalog catalog;

  public PolicyController(PolicyCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  @GetMapping("/policy")
  public List<PolicyEntry> list() {
    return catalog.list().stream().map(PolicyEntry::of).toList();
  }

  @GetMapping("/policy/{id}")
  public ResponseEntity<String> get(@PathVariable("id") String id) throws AttestationException {
    String text = catalog.document(id).orElseGet(catalog::defaultDocument);
    return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(text);
  }

  @PutMapping(path = "/policy/{id}", consumes = MediaType.ALL_VALUE)
  public ResponseEntity<PolicyEntry> put(@PathVariable("id") String id,
      @RequestBody String document) throws AttestationException, IOException {
    boolean replaced = catalog.put(id, document);
    CompiledPolicy c = catalog.policy(id);
    return ResponseEntity.status(replaced ? HttpStatus.OK : HttpStatus.CREATED)
        .body(new PolicyEntry(c.id(), c.version(), c.description(), false));
  }

  @PostMapping(path = "/policy", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<PolicyEntry> post(@RequestBody TrusteePolicy body)
      throws AttestationException, IOException {
    if (body.policyId() == null || body.policy() == null) {
      throw new AttestationException(Reason.MALFORMED_REQUEST,
          "a policy upload needs \"policy_id\" and \"policy\" (base64url of the document)");
    }
    String document;
    try {
      document = new String(Base64.getUrlDecoder().decode(body.policy().replace("=", "")),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AttestationException(Reason.MALFORMED_REQUEST, "\"policy\" must be base64url");
    }
    return put(body.policyId(), document);
  }

  @DeleteMapping("/policy/{id}")
  public ResponseEntity<Void> delete(@PathVariable("id") String id)
      throws AttestationException, IOException {
    catalog.delete(id);
    return ResponseEntity.noContent().build();
  }
}
