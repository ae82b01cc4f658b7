package dev.carapace.attestation.service.web;

import dev.carapace.attestation.service.token.SigningKeys;
import java.util.Objects;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /.well-known/jwks.json}: the public keys that verify this service's tokens (the
 * current one and retired ones whose tokens may still be valid), each with its {@code kid}.
 */
@RestController
public class JwksController {
  private final SigningKeys keys;

  public JwksController(SigningKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  @GetMapping("/.well-known/jwks.json")
  public ResponseEntity<String> jwks() {
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .cacheControl(CacheControl.noCache())
        .body(keys.jwksJson());
  }
}
