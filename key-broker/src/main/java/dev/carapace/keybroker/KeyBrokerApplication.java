package dev.carapace.keybroker;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the key broker: {@code java -jar key-broker-exec.jar [--port N] [--address A] [--data
 * DIR] [--dev] [--attestation-url URL] [--admin-key PEM]...}; other arguments go to Spring Boot
 * ({@code --carapace.kbs.session-lifetime=PT10M}, ...).
 */
@SpringBootApplication
public class KeyBrokerApplication {
  static final String USAGE = """
      usage: key-broker [--port N] [--address A] [--data DIR] [--dev] [--attestation-url URL]
                        [--admin-key PEM ...] [--<property>=VALUE ...]
        --port N             listen on port N (default 8080)
        --address A          listen on address A (default 127.0.0.1)
        --data DIR           state directory (default ~/.carapace/key-broker); replicas share it
        --dev                the built-in attestation service trusts the development TDX/SNP
                             roots of the simulators (never in production)
        --attestation-url U  use a remote attestation service (Trustee REST API) instead of
                             the built-in one
        --admin-key PEM      a public key (EC P-256 or Ed25519) that signs admin tokens; may
                             be repeated; without one the admin API refuses every request
      """;

  public static void main(String[] args) {
    List<String> translated;
    try {
      translated = translate(args);
    } catch (IllegalArgumentException e) {
      System.err.println("key-broker: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (translated.contains("--help")) {
      System.out.print(USAGE);
      return;
    }
    SpringApplication.run(KeyBrokerApplication.class, translated.toArray(String[]::new));
  }

  /** Maps the short options to Spring properties; everything else passes through. */
  public static List<String> translate(String[] args) {
    List<String> out = new ArrayList<>();
    int adminKeys = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--port" -> out.add("--server.port=" + value(args, ++i, a));
        case "--address" -> out.add("--server.address=" + value(args, ++i, a));
        case "--data" -> out.add("--carapace.kbs.data-dir=" + value(args, ++i, a));
        case "--dev" -> {
          out.add("--carapace.kbs.dev=true");
          out.add("--carapace.attestation.dev=true");
        }
        case "--attestation-url" ->
            out.add("--carapace.kbs.attestation-url=" + value(args, ++i, a));
        case "--admin-key" -> out.add("--carapace.kbs.admin.public-keys[" + adminKeys++ + "]="
            + value(args, ++i, a));
        case "-h" -> out.add("--help");
        default -> out.add(a);
      }
    }
    return out;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
