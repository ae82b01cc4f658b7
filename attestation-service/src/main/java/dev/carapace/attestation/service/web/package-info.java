@NullMarked
package dev.carapace.attestation.service.web;

import org.jspecify.annotations.NullMarked;
