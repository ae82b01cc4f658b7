package dev.carapace.attestation.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * docs/api/attestation-service.yaml lists exactly the service's endpoints (every controller
 * mapping plus the exposed Actuator endpoints), and is what {@code GET /openapi.yaml} serves.
 */
class OpenApiDocumentTest extends DevModeHttpTest {
  private static final Path CHECKED_IN = Path.of("..", "docs", "api", "attestation-service.yaml");
  private static final Set<String> ACTUATOR = Set.of("GET /actuator/health",
      "GET /actuator/prometheus");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private static Set<String> documented(JsonNode doc) {
    Set<String> out = new TreeSet<>();
    for (Map.Entry<String, JsonNode> p : doc.get("paths").properties()) {
      for (Iterator<String> ops = p.getValue().fieldNames(); ops.hasNext(); ) {
        String op = ops.next();
        if (!op.equals("parameters")) {
          out.add(op.toUpperCase(Locale.ROOT) + " " + p.getKey());
        }
      }
    }
    return out;
  }

  private Set<String> implemented() {
    Set<String> out = new TreeSet<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
      if (!e.getValue().getBeanType().getPackageName().startsWith("dev.carapace")) {
        continue; // Spring's /error
      }
      for (String path : e.getKey().getPatternValues()) {
        for (RequestMethod m : e.getKey().getMethodsCondition().getMethods()) {
          out.add(m.name() + " " + path);
        }
      }
    }
    out.addAll(ACTUATOR);
    return out;
  }

  @Test
  void documentWhenComparedWithHandlerMappingsThenListsEveryEndpointAndNoOther() throws Exception {
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(CHECKED_IN.toFile());
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    assertThat(documented(doc)).isEqualTo(implemented());
    for (String op : ACTUATOR) {
      assertThat(client.get(op.substring(4)).statusCode()).as(op).isEqualTo(200);
    }
  }

  @Test
  void openApiWhenFetchedThenTheCheckedInDocument() throws Exception {
    HttpResponse<String> r = client.get("/openapi.yaml");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/yaml");
    assertThat(r.body()).isEqualTo(Files.readString(CHECKED_IN));
  }
}
