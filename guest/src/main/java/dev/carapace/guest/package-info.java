/**
 * The guest side of Carapace: what runs inside the TEE to obtain secrets from a key broker. Its
 * packages are {@code key} (the ephemeral TEE key pair), {@code attester} (hardware and
 * development evidence) and {@code kbs} (the KBS protocol 0.4.0 client), the Java counterpart of
 * CoCo's attestation-agent and {@code kbs_protocol} crate. No clock, randomness or JCA provider is
 * used unless passed in; nothing here registers a provider.
 */
@NullMarked
package dev.carapace.guest;

import org.jspecify.annotations.NullMarked;
