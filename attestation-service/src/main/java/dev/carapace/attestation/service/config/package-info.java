@NullMarked
package dev.carapace.attestation.service.config;

import org.jspecify.annotations.NullMarked;
