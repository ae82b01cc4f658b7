/**
 * The TEE key pair: generated inside the guest with an injected {@code SecureRandom} and JCA
 * provider, published to the KBS as the {@code tee-pubkey} JWK, and used only to open the JWE
 * responses encrypted to it. The private key never leaves {@link dev.carapace.guest.key.TeeKeyPair}.
 */
@NullMarked
package dev.carapace.guest.key;

import org.jspecify.annotations.NullMarked;
