/**
 * The KBS protocol 0.4.0 client: the RCAR handshake ({@code /auth}, {@code /attest}) with the
 * runtime-data binding, resource retrieval with a session cookie (background-check mode, like
 * CoCo's {@code kbs-client}) or a bearer token (passport mode, like CoCo's Confidential Data
 * Hub), CoCo's retry rules, and JWE decryption with the TEE key. Entry point:
 * {@link dev.carapace.guest.kbs.KbsClient#builder(java.net.URI)}.
 */
@NullMarked
package dev.carapace.guest.kbs;

import org.jspecify.annotations.NullMarked;
