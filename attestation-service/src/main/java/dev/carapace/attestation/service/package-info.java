/**
 * The Carapace attestation service (RFC 9334 Verifier): {@code web} (HTTP only), {@code
 * appraisal} (verify, bind, appraise, issue), {@code evidence} (TDX, SNP and sample verifiers),
 * {@code token} (EAR tokens and signing keys), {@code store} (on-disk policies, reference values
 * and keys) and {@code config} (the one properties record and the wiring).
 */
@NullMarked
package dev.carapace.attestation.service;

import org.jspecify.annotations.NullMarked;
