package dev.carapace.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.carapace.keybroker.web.AdminController;
import dev.carapace.keybroker.web.KbsController;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/** docs/api/key-broker.yaml documents every endpoint the controllers map, with its method. */
class OpenApiDocumentTest {
  @Test
  void everyMappedEndpointIsDocumented() throws Exception {
    JsonNode doc = new YAMLMapper().readTree(Path.of("..", "docs", "api", "key-broker.yaml")
        .toFile());
    Set<String> mapped = new TreeSet<>();
    for (Class<?> c : new Class<?>[] {KbsController.class, AdminController.class}) {
      for (Method m : c.getDeclaredMethods()) {
        add(mapped, "get", m.isAnnotationPresent(GetMapping.class)
            ? m.getAnnotation(GetMapping.class).value() : null);
        add(mapped, "post", m.isAnnotationPresent(PostMapping.class)
            ? m.getAnnotation(PostMapping.class).value() : null);
        add(mapped, "delete", m.isAnnotationPresent(DeleteMapping.class)
            ? m.getAnnotation(DeleteMapping.class).value() : null);
      }
    }
    assertThat(mapped).hasSizeGreaterThanOrEqualTo(10);
    for (String e : mapped) {
      String method = e.substring(0, e.indexOf(' '));
      String path = e.substring(e.indexOf(' ') + 1);
      assertThat(doc.path("paths").path(path).has(method)).as("%s documented", e).isTrue();
    }
  }

  private static void add(Set<String> out, String method, String[] paths) {
    if (paths != null) {
      for (String p : paths) {
        out.add(method.toLowerCase(Locale.ROOT) + " /kbs/v0" + p);
      }
    }
  }
}
