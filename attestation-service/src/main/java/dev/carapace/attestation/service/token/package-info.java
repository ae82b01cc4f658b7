@NullMarked
package dev.carapace.attestation.service.token;

import org.jspecify.annotations.NullMarked;
