/**
 * AMD SEV-SNP evidence for Carapace: parse, verify, fetch certificates from AMD KDS, compute
 * launch digests, and simulate a development TEE. No network access, clock or randomness is used
 * unless passed in.
 */
@NullMarked
package dev.carapace.snp;

import org.jspecify.annotations.NullMarked;
