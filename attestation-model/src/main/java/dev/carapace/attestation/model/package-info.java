/**
 * Vocabulary shared by every evidence module (TDX, SEV-SNP) and the services: plain value types,
 * no dependencies.
 */
@NullMarked
package dev.carapace.attestation.model;

import org.jspecify.annotations.NullMarked;
