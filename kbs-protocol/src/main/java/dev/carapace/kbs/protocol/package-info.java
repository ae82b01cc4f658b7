/**
 * The CoCo KBS protocol 0.4.0 as both ends speak it: the RCAR messages, TEE public keys as JWKs,
 * the runtime-data binding (RFC 8785 canonical JSON hashed into report data), the flattened JWE
 * that carries a resource to the TEE key, and the error body. No I/O; stateless.
 */
@NullMarked
package dev.carapace.kbs.protocol;

import org.jspecify.annotations.NullMarked;
