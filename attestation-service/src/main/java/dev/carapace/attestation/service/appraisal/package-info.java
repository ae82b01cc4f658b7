@NullMarked
package dev.carapace.attestation.service.appraisal;

import org.jspecify.annotations.NullMarked;
