/**
 * Interim KBS protocol 0.4.0 wire pieces the guest needs (JWE response, JCS canonicalization,
 * runtime-data binding, error body), kept minimal until the shared {@code kbs-protocol} module is
 * available; then this package is replaced by {@code dev.carapace.kbs.protocol}.
 */
@NullMarked
package dev.carapace.guest.wire;

import org.jspecify.annotations.NullMarked;
