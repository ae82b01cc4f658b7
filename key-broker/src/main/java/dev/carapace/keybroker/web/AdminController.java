package dev.carapace.keybroker.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.carapace.attestation.service.appraisal.AttestationException;
import dev.carapace.attestation.service.appraisal.PolicyCatalog;
import dev.carapace.attestation.service.appraisal.ReferenceValues;
import dev.carapace.attestation.service.store.ReferenceValue;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocol;
import dev.carapace.kbs.protocol.KbsProtocolException;
import dev.carapace.keybroker.admin.AdminAuthenticator;
import dev.carapace.keybroker.admin.AdminAuthenticator.AdminRefusedException;
import dev.carapace.keybroker.config.KeyBrokerProperties;
import dev.carapace.keybroker.policy.ResourcePolicies;
import dev.carapace.keybroker.resource.ResourceStore;
import dev.carapace.policy.PolicyValidationException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Trustee's administration endpoints, each behind {@link AdminAuthenticator}: resources
 * ({@code POST}/{@code DELETE /kbs/v0/resource/{repository}/{type}/{tag}}, raw bytes), the
 * resource policy ({@code POST /kbs/v0/resource-policy} with {@code {"policy": base64url}}; our
 * policies are the CEL documents of module {@code policies}), and, with the built-in attestation
 * service, the appraisal policy ({@code POST /kbs/v0/attestation-policy}) and reference values
 * ({@code POST /kbs/v0/reference-value} with an RVPS message, {@code GET
 * /kbs/v0/reference-value/{name}}). Every change is logged with the admin's subject, never the
 * value.
 */
@RestController
@RequestMapping(KbsProtocol.PREFIX)
public class AdminController {
  private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);

  private final AdminAuthenticator admins;
  private final ResourceStore resources;
  private final ResourcePolicies policies;
  private final ObjectProvider<PolicyCatalog> appraisalPolicies;
  private final ObjectProvider<ReferenceValues> referenceValues;
  private final long maxRequest;

  public AdminController(AdminAuthenticator admins, ResourceStore resources,
      ResourcePolicies policies, ObjectProvider<PolicyCatalog> appraisalPolicies,
      ObjectProvider<ReferenceValues> referenceValues, KeyBrokerProperties properties) {
    this.admins = admins;
    this.resources = resources;
    this.policies = policies;
    this.appraisalPolicies = appraisalPolicies;
    this.referenceValues = referenceValues;
    this.maxRequest = properties.maxRequestSize().toBytes();
  }

  @PostMapping("/resource/{repository}/{type}/{tag}")
  public ResponseEntity<Void> setResource(@PathVariable String repository,
      @PathVariable String type, @PathVariable String tag, HttpServletRequest request)
      throws KbsException, IOException {
    String who = admin(request);
    String path = path(repository, type, tag);
    byte[] value = Bodies.read(request, Math.min(maxRequest, ResourceStore.MAX_RESOURCE_BYTES));
    try {
      resources.put(path, value);
    } finally {
      java.util.Arrays.fill(value, (byte) 0);
    }
    LOG.info("admin {} set resource {}", who, path);
    return ResponseEntity.ok().build();
  }

  @DeleteMapping("/resource/{repository}/{type}/{tag}")
  public ResponseEntity<Void> deleteResource(@PathVariable String repository,
      @PathVariable String type, @PathVariable String tag, HttpServletRequest request)
      throws KbsException, IOException {
    String who = admin(request);
    String path = path(repository, type, tag);
    if (!resources.delete(path)) {
      throw new KbsException(HttpStatus.NOT_FOUND, "ResourceNotFound", "no resource at " + path);
    }
    LOG.info("admin {} deleted resource {}", who, path);
    return ResponseEntity.ok().build();
  }

  @PostMapping("/resource-policy")
  public ResponseEntity<Void> setResourcePolicy(HttpServletRequest request)
      throws KbsException, IOException {
    String who = admin(request);
    String document = base64Member(Bodies.read(request, maxRequest), "policy");
    try {
      policies.set(document);
    } catch (PolicyValidationException e) {
      throw KbsException.unauthorized("ParsePolicyError", "the resource policy is invalid: "
          + e.getMessage());
    }
    LOG.info("admin {} set the resource policy", who);
    return ResponseEntity.ok().build();
  }

  @GetMapping("/resource-policy")
  public ResponseEntity<String> getResourcePolicy(HttpServletRequest request)
      throws KbsException, IOException {
    admin(request);
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
        .body(KbsJson.write(JsonNodeFactory.instance.objectNode()
            .put("id", ResourcePolicies.ID).put("policy", policies.document())));
  }

  @PostMapping("/attestation-policy")
  public ResponseEntity<Void> setAttestationPolicy(HttpServletRequest request)
      throws KbsException, IOException {
    String who = admin(request);
    PolicyCatalog catalog = builtIn(appraisalPolicies);
    byte[] body = Bodies.read(request, maxRequest);
    String document = base64Member(body, "policy");
    String id = text(body, "policy_id", "default");
    try {
      catalog.put(id, document);
    } catch (AttestationException e) {
      throw KbsException.unauthorized("ParsePolicyError", "the attestation policy is invalid: "
          + e.getMessage());
    }
    LOG.info("admin {} set attestation policy {}", who, id);
    return ResponseEntity.ok().build();
  }

  @PostMapping("/reference-value")
  public ResponseEntity<String> registerReferenceValue(HttpServletRequest request)
      throws KbsException, IOException {
    String who = admin(request);
    ReferenceValues rv = builtIn(referenceValues);
    JsonNode message = json(Bodies.read(request, maxRequest));
    try {
      List<ReferenceValue> stored = rv.registerRvpsMessage(message);
      LOG.info("admin {} registered reference values {}", who,
          stored.stream().map(ReferenceValue::name).toList());
    } catch (AttestationException e) {
      throw KbsException.unauthorized("RvpsError", "the reference value message is invalid: "
          + e.getMessage());
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body("");
  }

  @GetMapping("/reference-value/{name}")
  public ResponseEntity<String> getReferenceValue(@PathVariable String name,
      HttpServletRequest request) throws KbsException {
    admin(request);
    ReferenceValues rv = builtIn(referenceValues);
    try {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      rv.get(name).values().forEach(out::add);
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
          .body(KbsJson.write(out));
    } catch (AttestationException e) {
      throw new KbsException(HttpStatus.NOT_FOUND, "RvpsError", e.getMessage());
    }
  }

  private String admin(HttpServletRequest request) throws KbsException {
    try {
      return admins.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
    } catch (AdminRefusedException e) {
      LOG.info("admin request refused: {} {}: {}", request.getMethod(), request.getRequestURI(),
          e.getMessage());
      throw KbsException.unauthorized("AdminAuthAccess", "Admin auth error: " + e.getMessage());
    }
  }

  private static <T> T builtIn(ObjectProvider<T> p) throws KbsException {
    T t = p.getIfAvailable();
    if (t == null) {
      throw new KbsException(HttpStatus.NOT_FOUND, "PluginNotFound", "this broker uses a remote"
          + " attestation service: manage its policies and reference values there");
    }
    return t;
  }

  private static String path(String repository, String type, String tag) throws KbsException {
    if (!KbsProtocol.isValidResourcePath(repository, type, tag)) {
      throw new KbsException(HttpStatus.NOT_FOUND, "InvalidRequestPath",
          "invalid resource path");
    }
    return repository + "/" + type + "/" + tag;
  }

  private static JsonNode json(byte[] body) throws KbsException {
    try {
      JsonNode n = KbsJson.parse(body);
      if (!n.isObject()) {
        throw KbsException.unauthorized("SerdeError", "the body must be a JSON object");
      }
      return n;
    } catch (KbsProtocolException e) {
      throw KbsException.unauthorized("SerdeError", e.getMessage());
    }
  }

  private static String text(byte[] body, String member, String fallback) throws KbsException {
    JsonNode n = json(body).get(member);
    return n != null && n.isTextual() ? n.asText() : fallback;
  }

  /** A base64url (no padding, as Trustee's tools send it; padding tolerated) member as text. */
  private static String base64Member(byte[] body, String member) throws KbsException {
    JsonNode n = json(body).get(member);
    if (n == null || !n.isTextual()) {
      throw KbsException.unauthorized("SerdeError", "\"" + member + "\" must be a string");
    }
    String s = n.asText().strip();
    while (s.endsWith("=")) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      return new String(KbsJson.base64UrlDecode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw KbsException.unauthorized("SerdeError", "\"" + member + "\" must be base64url");
    }
  }
}
