package dev.carapace.attestation.service.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /openapi.yaml}: the API description, the same file as
 * docs/api/attestation-service.yaml.
 */
@RestController
public class OpenApiController {
  static final String RESOURCE = "/openapi/attestation-service.yaml";
  private final String document;

  public OpenApiController() throws IOException {
    try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("the OpenAPI document " + RESOURCE + " is missing from the build");
      }
      document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @GetMapping("/openapi.yaml")
  public ResponseEntity<String> openApi() {
    return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml"))
        .body(document);
  }
}
