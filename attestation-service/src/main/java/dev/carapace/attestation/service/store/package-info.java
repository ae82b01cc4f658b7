@NullMarked
package dev.carapace.attestation.service.store;

import org.jspecify.annotations.NullMarked;
