/**
 * The key broker (a KBS wire-compatible with CoCo Trustee, protocol 0.4.0): RCAR sessions in a
 * shared store, the built-in or a remote attestation service, EAR token verification, CEL
 * resource policy, envelope-encrypted resources, and the administration API.
 */
@NullMarked
package dev.carapace.keybroker;

import org.jspecify.annotations.NullMarked;
