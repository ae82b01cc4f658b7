package dev.carapace.attestation.service;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the attestation service: {@code java -jar attestation-service.jar [--port N] [--address
 * A] [--data DIR] [--dev]}; any other argument is passed to Spring Boot ({@code
 * --carapace.attestation.token-lifetime=PT10M}, ...).
 */
@SpringBootApplication
public class AttestationServiceApplication {
  static final String USAGE = """
      usage: attestation-service [--port N] [--address A] [--data DIR] [--dev]
                                 [--<property>=VALUE ...]
        --port N     listen on port N (default 8080)
        --address A  listen on address A (default 127.0.0.1: the administration endpoints
                     are not authenticated)
        --data DIR   data directory (default ~/.carapace/attestation-service)
        --dev        trust the development TDX/SNP roots and enable the sample TEE (never in
                     production)
      """;

  public static void main(String[] args) {
    List<String> translated;
    try {
      translated = translate(args);
    } catch (IllegalArgumentException e) {
      System.err.println("attestation-service: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (translated.contains("--help")) {
      System.out.print(USAGE);
      return;
    }
    SpringApplication.run(AttestationServiceApplication.class, translated.toArray(String[]::new));
  }

  /** Maps the short options to Spring properties; everything else passes through. */
  static List<String> translate(String[] args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--port" -> out.add("--server.port=" + value(args, ++i, a));
        case "--data" -> out.add("--carapace.attestation.data-dir=" + value(args, ++i, a));
        case "--address" -> out.add("--server.address=" + value(args, ++i, a));
        case "--dev" -> out.add("--carapace.attestation.dev=true");
        case "-h" -> out.add("--help");
        default -> {
          if (a.startsWith("--port=")) {
            out.add("--server.port=" + a.substring(7));
          } else if (a.startsWith("--data=")) {
            out.add("--carapace.attestation.data-dir=" + a.substring(7));
          } else {
            out.add(a);
          }
        }
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
