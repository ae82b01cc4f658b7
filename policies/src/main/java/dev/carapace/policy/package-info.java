/**
 * Appraisal and key-release policies: the "appraisal policy for evidence" and the "appraisal policy
 * for attestation results" of RATS (RFC 9334).
 *
 * <p>An {@link dev.carapace.policy.AppraisalPolicy} maps the claims a verifier extracted from
 * verified evidence (nested, Trustee-style names such as {@code tdx.quote.body.mr_td}) and the
 * registered reference values to the eight AR4SI trustworthiness claims and an EAR status. A {@link
 * dev.carapace.policy.ResourcePolicy} decides whether a key broker may release a resource to an
 * attester, given the claims of its attestation result. Both are written as YAML or JSON documents
 * whose conditions are CEL expressions, and are compiled and validated once by {@link
 * dev.carapace.policy.PolicyParser}.
 *
 * <p>Everything here is pure: no I/O, no clock, no global state. Compiled policies are immutable
 * and safe to share between threads. The module's {@code README.md} lists the claim names and
 * reference value names the shipped policies expect.
 */
@NullMarked
package dev.carapace.policy;

import org.jspecify.annotations.NullMarked;
