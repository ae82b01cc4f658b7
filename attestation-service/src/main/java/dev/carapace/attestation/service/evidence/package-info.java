@NullMarked
package dev.carapace.attestation.service.evidence;

import org.jspecify.annotations.NullMarked;
