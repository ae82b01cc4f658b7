/**
 * PEM persistence of development key material: atomic, fsynced writes with owner-only key files
 * ({@link dev.carapace.evidence.io.pem.AtomicFiles}) and PEM encoding and decoding of certificates
 * and PKCS#8 private keys ({@link dev.carapace.evidence.io.pem.Pem}).
 */
@NullMarked
package dev.carapace.evidence.io.pem;

import org.jspecify.annotations.NullMarked;
