package dev.carapace.keybroker.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.kbs.protocol.Jwe;
import dev.carapace.kbs.protocol.JweResponse;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocol;
import dev.carapace.kbs.protocol.KbsProtocolException;
import dev.carapace.kbs.protocol.Messages.Attestation;
import dev.carapace.kbs.protocol.Messages.AttestationToken;
import dev.carapace.kbs.protocol.Messages.AuthRequest;
import dev.carapace.kbs.protocol.Messages.Challenge;
import dev.carapace.kbs.protocol.RuntimeDataBinding;
import dev.carapace.keybroker.attest.AttestationCall;
import dev.carapace.keybroker.attest.AttestationRefusedException;
import dev.carapace.keybroker.attest.Attestor;
import dev.carapace.keybroker.config.KeyBrokerProperties;
import dev.carapace.keybroker.policy.ResourcePolicies;
import dev.carapace.keybroker.resource.ResourceStore;
import dev.carapace.keybroker.session.Session;
import dev.carapace.keybroker.session.SessionStore;
import dev.carapace.keybroker.token.AttestationTokenVerifier;
import dev.carapace.keybroker.token.TokenRejectedException;
import dev.carapace.keybroker.token.VerifiedAttestation;
import dev.carapace.policy.PolicyDecision;
import dev.carapace.policy.PolicyEvaluationException;
import dev.carapace.policy.ResourceRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The KBS protocol 0.4.0 endpoints: {@code POST /kbs/v0/auth}, {@code POST /kbs/v0/attest},
 * {@code GET /kbs/v0/resource/{repository}/{type}/{tag}} (session cookie or bearer token).
 * Secrets and tokens are never logged.
 */
@RestController
@RequestMapping(KbsProtocol.PREFIX)
public class KbsController {
  private static final Logger LOG = LoggerFactory.getLogger(KbsController.class);
  private static final DateTimeFormatter COOKIE_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final SessionStore sessions;
  private final Attestor attestor;
  private final AttestationTokenVerifier tokens;
  private final ResourcePolicies policies;
  private final ResourceStore resources;
  private final Clock clock;
  private final SecureRandom random;
  private final Provider provider;
  private final long maxRequest;
  private final MeterRegistry meters;
  private final java.util.concurrent.ConcurrentHashMap<String, Counter> counters =
      new java.util.concurrent.ConcurrentHashMap<>();

  public KbsController(SessionStore sessions, Attestor attestor, AttestationTokenVerifier tokens,
      ResourcePolicies policies, ResourceStore resources, Clock clock, SecureRandom random,
      Provider provider, KeyBrokerProperties properties, MeterRegistry meters) {
    this.sessions = sessions;
    this.attestor = attestor;
    this.tokens = tokens;
    this.policies = policies;
    this.resources = resources;
    this.clock = clock;
    this.random = random;
    this.provider = provider;
    this.maxRequest = properties.maxRequestSize().toBytes();
    this.meters = meters;
  }

  @PostMapping("/auth")
  public ResponseEntity<String> auth(HttpServletRequest request) throws KbsException, IOException {
    AuthRequest auth;
    try {
      auth = AuthRequest.read(Bodies.read(request, maxRequest));
    } catch (KbsProtocolException e) {
      throw attestationError("RCAR handshake Auth failed: " + e.getMessage());
    }
    if (!KbsProtocol.VERSION.equals(auth.version())) {
      throw attestationError("RCAR handshake Auth failed: KBS Client Protocol Version Mismatch:"
          + " expect =" + KbsProtocol.VERSION + " while the request is " + auth.version());
    }
    if (!KbsProtocol.TEES.contains(auth.tee())) {
      throw attestationError("RCAR handshake Auth failed: unknown tee \"" + auth.tee() + "\"");
    }
    Session s = sessions.create(auth.tee());
    Challenge c = new Challenge(s.nonce(), JsonNodeFactory.instance.textNode(""));
    return json(HttpStatus.OK, KbsJson.write(c.toJson()), s);
  }

  @PostMapping("/attest")
  public ResponseEntity<String> attest(HttpServletRequest request)
      throws KbsException, IOException {
    String id = cookie(request);
    if (id == null) {
      throw attestationError("RCAR handshake Attest failed: no " + KbsProtocol.SESSION_COOKIE
          + " cookie; call /auth first");
    }
    Session s = sessions.find(id).orElseThrow(() -> attestationError(
        "RCAR handshake Attest failed: the session is unknown or expired; call /auth again"));
    byte[] body = Bodies.read(request, maxRequest);
    if (s.attested()) {
      return json(HttpStatus.OK, KbsJson.write(new AttestationToken(s.token()).toJson()), s);
    }
    Attestation a;
    try {
      a = Attestation.read(body);
    } catch (KbsProtocolException e) {
      throw attestationError("RCAR handshake Attest failed: " + e.getMessage());
    }
    if (!java.security.MessageDigest.isEqual(a.nonce().getBytes(StandardCharsets.UTF_8),
        s.nonce().getBytes(StandardCharsets.UTF_8))) {
      count("attest", "nonce_mismatch");
      throw attestationError("RCAR handshake Attest failed: runtime-data nonce does not match"
          + " the session's challenge");
    }
    ObjectNode structured = RuntimeDataBinding.structured(a.teePubkey(), s.nonce(),
        a.additionalEvidence());
    String token;
    try {
      token = attestor.attest(new AttestationCall(s.tee(), a.primaryEvidence(), structured,
          a.initData()));
      tokens.readTrusted(token);
    } catch (AttestationRefusedException e) {
      count("attest", "refused");
      throw attestationError("RCAR handshake Attest failed: " + e.getMessage());
    } catch (TokenRejectedException e) {
      count("attest", "bad_token");
      throw attestationError("RCAR handshake Attest failed: " + e.getMessage());
    }
    Session attested = s.withToken(token);
    sessions.attested(attested);
    count("attest", "ok");
    return json(HttpStatus.OK, KbsJson.write(new AttestationToken(token).toJson()), attested);
  }

  @GetMapping("/resource/{repository}/{type}/{tag}")
  public ResponseEntity<String> resource(@PathVariable String repository,
      @PathVariable String type, @PathVariable String tag, HttpServletRequest request)
      throws KbsException, IOException {
    if (!KbsProtocol.isValidResourcePath(repository, type, tag)) {
      throw new KbsException(HttpStatus.NOT_FOUND, "InvalidRequestPath",
          "invalid resource path");
    }
    VerifiedAttestation who = requester(request);
    ResourceRequest rr = new ResourceRequest(repository, type, tag);
    PolicyDecision decision;
    try {
      decision = policies.current().decide(rr, who.policyClaims());
    } catch (PolicyEvaluationException e) {
      count("resource", "policy_error");
      throw KbsException.unauthorized("PolicyDeny", "Access was denied by policy: the policy"
          + " could not be evaluated (" + e.getMessage() + ")");
    }
    if (decision instanceof PolicyDecision.Deny deny) {
      count("resource", "denied");
      LOG.info("resource {} denied: tee={} status={}", rr.path(), who.tee(), who.status());
      StringBuilder detail = new StringBuilder("Access was denied by policy: ")
          .append(String.join("; ", deny.reasons()))
          .append(" (attestation status ").append(who.status());
      if (!who.appraisalReasons().isEmpty() && !"affirming".equals(who.status())) {
        detail.append(": ").append(String.join("; ", who.appraisalReasons()));
      }
      throw KbsException.unauthorized("PolicyDeny", detail.append(")").toString());
    }
    Optional<byte[]> value = resources.get(rr.path());
    if (value.isEmpty()) {
      count("resource", "not_found");
      throw new KbsException(HttpStatus.NOT_FOUND, "ResourceNotFound",
          "no resource at " + rr.path());
    }
    JweResponse jwe;
    try {
      jwe = Jwe.encrypt(value.get(), who.teeKey(), random, provider);
    } catch (KbsProtocolException e) {
      throw KbsException.unauthorized("JweError", "cannot encrypt to the TEE key: "
          + e.getMessage());
    } finally {
      java.util.Arrays.fill(value.get(), (byte) 0);
    }
    count("resource", "released");
    LOG.debug("resource {} released to tee={}", rr.path(), who.tee());
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
        .body(KbsJson.write(jwe.toJson()));
  }

  /** Anything else under the prefix: Trustee's 404 for an unknown plugin or path. */
  @RequestMapping("/**")
  public ResponseEntity<String> unknown(HttpServletRequest request) throws KbsException {
    String path = request.getRequestURI();
    String plugin = path.length() > KbsProtocol.PREFIX.length() + 1
        ? path.substring(KbsProtocol.PREFIX.length() + 1).split("/", 2)[0] : "";
    if (Set.of("auth", "attest", "resource").contains(plugin)) {
      throw new KbsException(HttpStatus.NOT_FOUND, "InvalidRequestPath",
          "invalid request path " + path + " for method " + request.getMethod());
    }
    throw new KbsException(HttpStatus.NOT_FOUND, "PluginNotFound",
        "plugin \"" + plugin + "\" not found");
  }

  private VerifiedAttestation requester(HttpServletRequest request)
      throws KbsException, IOException {
    String id = cookie(request);
    try {
      if (id != null) {
        Optional<Session> s = sessions.find(id);
        if (s.isPresent() && s.get().attested()) {
          return tokens.readTrusted(s.get().token());
        }
      }
      String authz = request.getHeader(HttpHeaders.AUTHORIZATION);
      if (authz != null && authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return tokens.verify(authz.substring(7).strip());
      }
    } catch (TokenRejectedException e) {
      count("resource", "token_rejected");
      throw KbsException.unauthorized("TokenVerifierError",
          "Token Verifier error: " + e.getMessage());
    }
    count("resource", "no_token");
    if (id != null && sessions.isExpired(id)) {
      throw KbsException.unauthorized("TokenNotFound",
          "the session expired; attest again or send an attestation token");
    }
    throw KbsException.unauthorized("TokenNotFound",
        "Attestation Token not found: attest first or send Authorization: Bearer <token>");
  }

  private static @Nullable String cookie(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (KbsProtocol.SESSION_COOKIE.equals(c.getName())) {
        return c.getValue();
      }
    }
    return null;
  }

  private ResponseEntity<String> json(HttpStatus status, String body, Session s) {
    long maxAge = Math.max(0, Duration.between(clock.instant(), s.expiresAt()).getSeconds());
    String cookie = KbsProtocol.SESSION_COOKIE + "=" + s.id() + "; Expires="
        + COOKIE_DATE.format(s.expiresAt()) + "; Max-Age=" + maxAge + "; Path="
        + KbsProtocol.PREFIX + "; HttpOnly";
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.SET_COOKIE, cookie).body(body);
  }

  private static KbsException attestationError(String detail) {
    return KbsException.unauthorized("AttestationError", "Attestation error: " + detail);
  }

  private void count(String endpoint, String outcome) {
    counters.computeIfAbsent(endpoint + "/" + outcome, k -> Counter.builder(
        "carapace.kbs.requests").description("KBS requests by endpoint and outcome")
        .tag("endpoint", endpoint).tag("outcome", outcome).register(meters)).increment();
  }
}
