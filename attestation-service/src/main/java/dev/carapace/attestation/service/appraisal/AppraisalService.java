package dev.carapace.attestation.service.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import dev.carapace.attestation.service.appraisal.PolicyEngine.CompiledPolicy;
import dev.carapace.attestation.service.appraisal.PolicyEngine.Outcome;
import dev.carapace.attestation.service.evidence.EvidenceException;
import dev.carapace.attestation.service.evidence.EvidenceVerifier;
import dev.carapace.attestation.service.evidence.EvidenceVerifiers;
import dev.carapace.attestation.service.evidence.VerifiedEvidence;
import dev.carapace.attestation.service.token.AttestationResultIssuer;
import dev.carapace.attestation.service.token.AttestationResultIssuer.IssuedToken;
import dev.carapace.attestation.service.token.AttestationResultIssuer.Submodule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attestation pipeline (Trustee's {@code evaluate}): for each verification request, verify
 * the evidence with the TEE's verifier, check the runtime-data and init-data bindings against the
 * hardware fields, consume the challenge nonce if the runtime data carries one of ours, appraise
 * the claims with the first requested policy, then sign one EAR with a submodule per request
 * ({@code cpu0}, {@code cpu1}, ...). Any failure fails the whole request. Thread-safe.
 */
public final class AppraisalService {
  private static final Logger LOG = LoggerFactory.getLogger(AppraisalService.class);

  /**
   * One verification request.
   *
   * @param tee the TEE name
   * @param evidence the decoded evidence document
   * @param runtimeData {@code {"structured": {...}}} or {@code {"raw": "..."}}, or null
   * @param initData {@code {"init_data_toml": ...}}, {@code {"init_data_digest": ...}} or null
   * @param runtimeDataHashAlgorithm sha256, sha384 (default) or sha512
   */
  public record VerificationInput(String tee, Bytes evidence, @Nullable JsonNode runtimeData,
      @Nullable JsonNode initData, @Nullable String runtimeDataHashAlgorithm) {
    public VerificationInput {
      Objects.requireNonNull(tee, "tee");
      Objects.requireNonNull(evidence, "evidence");
    }
  }

  private final EvidenceVerifiers verifiers;
  private final PolicyCatalog policies;
  private final ReferenceValues referenceValues;
  private final NonceStore nonces;
  private final boolean requireChallenge;
  private final AttestationResultIssuer issuer;
  private final ObjectMapper mapper;
  private final MeterRegistry meters;
  private final Timer timer;

  public AppraisalService(EvidenceVerifiers verifiers, PolicyCatalog policies,
      ReferenceValues referenceValues, NonceStore nonces, boolean requireChallenge,
      AttestationResultIssuer issuer, ObjectMapper mapper, MeterRegistry meters) {
    this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.referenceValues = Objects.requireNonNull(referenceValues, "referenceValues");
    this.nonces = Objects.requireNonNull(nonces, "nonces");
    this.requireChallenge = requireChallenge;
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.timer = Timer.builder("carapace.attestation.duration")
        .description("Time to verify, appraise and sign one attestation request")
        .publishPercentileHistogram()
        .register(meters);
  }

  /**
   * Attests every request and returns one signed EAR.
   *
   * @param policyIds the appraisal policies asked for; the first is used, {@code default} if none
   */
  public IssuedToken attest(List<VerificationInput> requests, List<String> policyIds)
      throws AttestationException, EvidenceException {
    long start = System.nanoTime();
    String tee = requests.isEmpty() ? "none" : requests.get(0).tee();
    try {
      IssuedToken token = attestTimed(requests, policyIds);
      count(tee, "issued");
      return token;
    } catch (AttestationException e) {
      count(tee, e.reason().name().toLowerCase(java.util.Locale.ROOT));
      LOG.info("attestation refused: tee={} reason={}", tee, e.reason());
      throw e;
    } catch (EvidenceException e) {
      count(tee, e.reason().name().toLowerCase(java.util.Locale.ROOT));
      LOG.info("attestation refused: tee={} reason={} verifier_reason={}", tee, e.reason(),
          e.verifierReason());
      throw e;
    } finally {
      timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private IssuedToken attestTimed(List<VerificationInput> requests, List<String> policyIds)
      throws AttestationException, EvidenceException {
    if (requests.isEmpty()) {
      throw new AttestationException(Reason.MALFORMED_REQUEST,
          "verification_requests must hold at least one request");
    }
    String policyId = policyIds.isEmpty() ? PolicyCatalog.DEFAULT_ID : policyIds.get(0);
    CompiledPolicy policy = policies.policy(policyId);

    List<String> nonceToConsume = new ArrayList<>();
    List<Map<String, Object>> evidenceClaims = new ArrayList<>();
    for (VerificationInput in : requests) {
      EvidenceVerifier verifier = verifiers.forTee(in.tee()).orElseThrow(() ->
          new AttestationException(Reason.UNSUPPORTED_TEE, "tee \"" + in.tee()
              + "\" is not supported here; supported: " + String.join(", ", verifiers.tees())));
      Optional<RuntimeDataBinding> runtime =
          RuntimeDataBinding.of(in.runtimeData(), in.runtimeDataHashAlgorithm());
      Optional<InitDataBinding> init = InitDataBinding.of(in.initData());
      String nonce = runtime.map(RuntimeDataBinding::structured)
          .map(s -> s.get("nonce")).filter(JsonNode::isTextual).map(JsonNode::asText)
          .orElse(null);
      checkNonce(nonce);
      VerifiedEvidence ev = verifier.verify(in.evidence().toByteArray());
      if (runtime.isPresent()) {
        checkReportData(ev, runtime.get().expected());
      }
      if (init.isPresent() && ev.initDataValue().isPresent()) {
        Bytes field = ev.initDataValue().get();
        Bytes expected = RuntimeDataBinding.regularize(init.get().digest(), field.size());
        if (!MessageDigest.isEqual(expected.toByteArray(), field.toByteArray())) {
          throw new AttestationException(Reason.INIT_DATA_MISMATCH, "the " + ev.tee()
              + " init-data field is not the digest of the init data");
        }
      }
      if (nonce != null) {
        nonceToConsume.add(nonce);
      }
      evidenceClaims.add(annotated(ev, runtime.orElse(null), init.orElse(null)));
    }
    for (String n : nonceToConsume) {
      NonceStore.State s = nonces.consume(n);
      if (s == NonceStore.State.REUSED || s == NonceStore.State.EXPIRED
          || (requireChallenge && s != NonceStore.State.CONSUMED)) {
        throw new AttestationException(Reason.CHALLENGE_INVALID,
            "the runtime data nonce is " + s.name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    Map<String, Submodule> submods = new LinkedHashMap<>();
    for (int i = 0; i < evidenceClaims.size(); i++) {
      Map<String, Object> claims = evidenceClaims.get(i);
      Outcome o = policy.appraise(claims, referenceValues::lookup);
      submods.put("cpu" + i, new Submodule(o.status(), o.vector(), policy.id(), claims,
          o.reasons()));
    }
    return issuer.issue(submods);
  }

  private void checkNonce(@Nullable String nonce) throws AttestationException {
    if (nonce == null) {
      if (requireChallenge) {
        throw new AttestationException(Reason.CHALLENGE_REQUIRED,
            "structured runtime data with a nonce from POST /challenge is required");
      }
      return;
    }
    NonceStore.State s = nonces.peek(nonce);
    if (s == NonceStore.State.REUSED || s == NonceStore.State.EXPIRED
        || (requireChallenge && s != NonceStore.State.CONSUMED)) {
      throw new AttestationException(Reason.CHALLENGE_INVALID,
          "the runtime data nonce is " + (s == NonceStore.State.CONSUMED ? "valid"
              : s.name().toLowerCase(java.util.Locale.ROOT)));
    }
  }

  private static void checkReportData(VerifiedEvidence ev, Bytes expected)
      throws AttestationException {
    Bytes field = ev.reportData();
    Bytes want = ev.exactReportData() ? expected
        : RuntimeDataBinding.regularize(expected, field.size());
    if (want.size() != field.size()
        || !MessageDigest.isEqual(want.toByteArray(), field.toByteArray())) {
      throw new AttestationException(Reason.REPORT_DATA_MISMATCH, "the " + ev.tee()
          + " report data is not the digest of the runtime data");
    }
  }

  /**
   * The policy input and the token's annotated evidence (Trustee's transform_claims): the TEE's
   * claims, {@code report_data}, {@code runtime_data_claims} when structured, and {@code
   * init_data} / {@code init_data_claims} only when the init-data binding was checked.
   */
  private Map<String, Object> annotated(VerifiedEvidence ev, @Nullable RuntimeDataBinding runtime,
      @Nullable InitDataBinding init) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(ev.tee(), ev.claims());
    m.put("report_data", ev.exactReportData()
        ? Base64.getEncoder().encodeToString(ev.reportData().toByteArray())
        : ev.reportData().toHex());
    if (runtime != null && runtime.structured() != null) {
      m.put("runtime_data_claims", mapper.convertValue(runtime.structured(), Object.class));
    }
    if (init != null && ev.initDataValue().isPresent()) {
      // Only a checked binding is a claim: policies read has(claims.init_data) as "bound".
      m.put("init_data", RuntimeDataBinding.regularize(init.digest(),
          ev.initDataValue().get().size()).toHex());
      if (init.claims() != null) {
        m.put("init_data_claims", init.claims());
      }
    }
    return m;
  }

  private void count(String tee, String outcome) {
    Counter.builder("carapace.attestation.requests")
        .description("Attestation requests by TEE and outcome")
        .tag("tee", verifiers.tees().contains(tee) ? tee : "unsupported")
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }
}
