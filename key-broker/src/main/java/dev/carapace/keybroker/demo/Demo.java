package dev.carapace.keybroker.demo;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.evidence.DevelopmentPkis;
import dev.carapace.guest.attester.DevelopmentTdxAttester;
import dev.carapace.guest.kbs.KbsClient;
import dev.carapace.guest.kbs.KbsClientException;
import dev.carapace.guest.kbs.Resource;
import dev.carapace.keybroker.KeyBrokerApplication;
import dev.carapace.keybroker.admin.AdminTokens;
import dev.carapace.tdx.measure.Rtmr;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code carapace demo}: the whole key-release flow on one machine with embedded defaults. It
 * starts the key broker with its built-in attestation service in development mode on loopback,
 * provisions reference values, an appraisal policy, a release policy and a model key, encrypts a
 * sample model with that key, and then plays two simulated TDX guests over HTTP with the real
 * guest client: one booted as registered, which receives the key and decrypts the model, and one
 * booted with another kernel command line, which is refused with the reason. Exit code 0 only
 * when both outcomes are as expected, 1 otherwise, 3 when the demo itself cannot run.
 */
public final class Demo {
  private static final String MODEL_PATH = "models/key/fraud-detector";
  private static final String KERNEL_CMDLINE = "console=hvc0 root=/dev/vda1 ro";
  private static final String OTHER_CMDLINE = "console=hvc0 root=/dev/vda1 ro init=/bin/sh";

  private final PrintStream out;
  private final Path data;
  private final SecureRandom random = new SecureRandom();
  private final Provider bc = new BouncyCastleProvider();
  private int step;

  private Demo(PrintStream out, Path data) {
    this.out = out;
    this.data = data;
  }

  /** Runs the demo; {@code args}: {@code [--data DIR] [--keep]}. Returns the exit code. */
  public static int run(String[] args, PrintStream out) {
    Path data = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--help", "-h" -> {
          out.println("usage: carapace demo [--data DIR]\n  Runs the key-release flow end to end"
              + " on loopback: broker + built-in attestation\n  service (development mode), two"
              + " simulated TDX guests. Exit 0 when the\n  registered guest decrypts the model"
              + " and the other one is refused.");
          return 0;
        }
        default -> {
          out.println("carapace demo: unknown option " + args[i]);
          return 2;
        }
      }
    }
    try {
      if (data == null) {
        data = Files.createTempDirectory("carapace-demo-");
      }
      return new Demo(out, data).run();
    } catch (Exception e) {
      out.println("carapace demo: cannot run: " + e);
      return 3;
    }
  }

  private int run() throws Exception {
    out.println("Carapace demo: attested key release for an encrypted model (state in " + data
        + ")");
    step("Generate an administrator key (Ed25519) for the broker's admin API");
    KeyPair admin = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path adminPub = data.resolve("admin.pub");
    Files.writeString(adminPub, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64,
        new byte[] {'\n'}).encodeToString(admin.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    detail("public key " + adminPub);

    step("Start the key broker with its built-in attestation service (development mode,"
        + " 127.0.0.1)");
    long t0 = System.nanoTime();
    try (ConfigurableApplicationContext broker = new SpringApplicationBuilder(
        KeyBrokerApplication.class).logStartupInfo(false).run(KeyBrokerApplication.translate(
            new String[] {"--port", "0", "--address", "127.0.0.1", "--data",
                data.resolve("broker").toString(), "--dev", "--admin-key", adminPub.toString(),
                "--carapace.attestation.snp.dev-products=Genoa",
                "--logging.level.org.springframework=WARN", "--logging.level.dev.carapace=WARN",
                "--logging.level.org.springframework.boot.web.embedded.tomcat=WARN",
                "--server.shutdown=immediate"}).toArray(String[]::new))) {
      URI kbs = URI.create("http://127.0.0.1:"
          + broker.getEnvironment().getProperty("local.server.port"));
      detail("KBS protocol 0.4.0 at " + kbs + " (ready in "
          + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms); it trusts only the"
          + " development TDX root it generated");
      Admin api = new Admin(kbs, admin);

      step("Describe the guest image the model may run in, and its launch measurements");
      byte[] kernel = ("Carapace demo guest kernel image\n").repeat(4096)
          .getBytes(StandardCharsets.US_ASCII);
      Bytes mrTd = sha384(kernel);
      List<Bytes> good = rtmrs(kernel, KERNEL_CMDLINE);
      detail("kernel command line   \"" + KERNEL_CMDLINE + "\"");
      detail("MRTD                  " + mrTd.toHex());
      detail("RTMR1 (kernel)        " + good.get(1).toHex());
      detail("RTMR2 (command line)  " + good.get(2).toHex());

      step("Register those values as reference values and install the policies");
      api.post("/kbs/v0/reference-value", ("{\"version\":\"0.1.0\",\"type\":\"sample\","
          + "\"payload\":\"" + Base64.getEncoder().encodeToString(("{\"tdx.mr_td\":[\""
          + mrTd.toHex() + "\"],\"tdx.rtmr_1\":[\"" + good.get(1).toHex() + "\"],"
          + "\"tdx.rtmr_2\":[\"" + good.get(2).toHex() + "\"]}").getBytes(
              StandardCharsets.UTF_8)) + "\"}").getBytes(StandardCharsets.UTF_8));
      detail("reference values tdx.mr_td, tdx.rtmr_1, tdx.rtmr_2");
      api.post("/kbs/v0/attestation-policy", policyBody("default", resource(
          "appraisal-policy.yaml")));
      detail("appraisal policy \"default\": affirming only if MRTD, RTMR1 and RTMR2 match");
      api.post("/kbs/v0/resource-policy", policyBody(null, resource("release-policy.yaml")));
      detail("release policy: " + MODEL_PATH.substring(0, MODEL_PATH.lastIndexOf('/'))
          + "/* only to affirming TDX guests");

      step("Store a fresh model key in the broker and encrypt the model with it");
      byte[] modelKey = new byte[32];
      random.nextBytes(modelKey);
      api.post("/kbs/v0/resource/" + MODEL_PATH, modelKey);
      byte[] model = sampleModel();
      Path encrypted = data.resolve("fraud-detector.model.enc");
      Files.write(encrypted, encrypt(modelKey, model));
      java.util.Arrays.fill(modelKey, (byte) 0);
      detail("resource kbs:///" + MODEL_PATH + " (256-bit AES key, stored envelope-encrypted)");
      detail("model " + model.length + " bytes -> " + encrypted + " (AES-256-GCM, "
          + Files.size(encrypted) + " bytes)");

      DevelopmentPki pki = DevelopmentPkis.tdx(data.resolve("broker").resolve("attestation"),
          random, bc, Clock.systemUTC());
      TdxQuoteSimulator quoting = new TdxQuoteSimulator(pki, SimulatedPlatform.defaults(),
          random, bc, Clock.systemUTC());

      step("Guest A boots the registered image, attests (RCAR) and asks for the model key");
      boolean aOk = false;
      try {
        Resource key = client(kbs, quoting, mrTd, good).getResource(MODEL_PATH);
        detail("key released: " + key.plaintext().size() + "-byte key, JWE to the guest's"
            + " P-256 TEE key (the broker never saw the guest's private key)");
        byte[] plain = decrypt(key.plaintext().toByteArray(), Files.readAllBytes(encrypted));
        aOk = java.util.Arrays.equals(plain, model);
        detail("decrypted the model (" + plain.length + " bytes, "
            + (aOk ? "identical to the original" : "DIFFERENT from the original") + "):");
        for (String line : new String(plain, StandardCharsets.UTF_8).split("\n")) {
          out.println("        | " + line);
        }
      } catch (KbsClientException e) {
        detail("UNEXPECTED: refused: " + e.reason() + ": " + e.getMessage());
      }

      step("Guest B boots the same kernel with another command line (\"" + OTHER_CMDLINE
          + "\")");
      List<Bytes> other = rtmrs(kernel, OTHER_CMDLINE);
      detail("RTMR2 (command line)  " + other.get(2).toHex() + " (not registered)");
      boolean bOk = false;
      try {
        client(kbs, quoting, mrTd, other).getResource(MODEL_PATH);
        detail("UNEXPECTED: the key was released to guest B");
      } catch (KbsClientException e) {
        bOk = e.reason() == KbsClientException.Reason.POLICY_DENIED;
        detail("refused (" + e.reason() + "): " + e.errorInformation()
            .map(i -> i.detail()).orElse(e.getMessage()));
      }

      out.println();
      out.println("Result: guest A " + (aOk ? "received the key and decrypted the model"
          : "FAILED") + "; guest B " + (bOk ? "was refused" : "was NOT refused as expected")
          + ".");
      out.println(aOk && bOk ? "DEMO PASSED" : "DEMO FAILED");
      return aOk && bOk ? 0 : 1;
    }
  }

  private KbsClient client(URI kbs, TdxQuoteSimulator quoting, Bytes mrTd, List<Bytes> rtmrs)
      throws Exception {
    return KbsClient.builder(kbs)
        .attester(DevelopmentTdxAttester.of(quoting, mrTd, rtmrs))
        .clock(Clock.systemUTC()).random(random).provider(bc)
        .retryPause(Duration.ofMillis(100)).build();
  }

  /** RTMR0 firmware (none here), RTMR1 kernel, RTMR2 command line, RTMR3 unused. */
  private static List<Bytes> rtmrs(byte[] kernel, String cmdline) {
    List<Bytes> r = new ArrayList<>();
    r.add(Rtmr.initial().value());
    r.add(Rtmr.initial().extendWithDigestOf(kernel).value());
    r.add(Rtmr.initial().extendWithDigestOf(cmdline.getBytes(StandardCharsets.UTF_8)).value());
    r.add(Rtmr.initial().value());
    return r;
  }

  private static byte[] sampleModel() {
    return """
        # carapace demo model: fraud-detector v3 (logistic regression)
        features = [amount_zscore, merchant_risk, hour_sin, hour_cos, card_age_days]
        weights  = [1.842, 2.117, -0.313, 0.276, -0.0041]
        bias     = -3.905
        threshold = 0.62
        """.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] encrypt(byte[] key, byte[] plaintext) throws Exception {
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    byte[] ct = c.doFinal(plaintext);
    byte[] out = new byte[iv.length + ct.length];
    System.arraycopy(iv, 0, out, 0, iv.length);
    System.arraycopy(ct, 0, out, iv.length, ct.length);
    return out;
  }

  private static byte[] decrypt(byte[] key, byte[] sealed) throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, sealed, 0, 12));
    return c.doFinal(sealed, 12, sealed.length - 12);
  }

  private static Bytes sha384(byte[] data) throws Exception {
    return Bytes.copyOf(MessageDigest.getInstance("SHA-384").digest(data));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Demo.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing demo resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static byte[] policyBody(String id, String document) {
    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(
        document.getBytes(StandardCharsets.UTF_8));
    return (id == null ? "{\"policy\":\"" + b64 + "\"}"
        : "{\"type\":\"cel\",\"policy_id\":\"" + id + "\",\"policy\":\"" + b64 + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void step(String what) {
    out.println();
    out.println("[" + ++step + "] " + what);
  }

  private void detail(String what) {
    out.println("      " + what);
  }

  /** Signs short-lived admin tokens and calls the admin API. */
  private static final class Admin {
    private final URI kbs;
    private final KeyPair key;
    private final HttpClient http = HttpClient.newHttpClient();

    Admin(URI kbs, KeyPair key) {
      this.kbs = kbs;
      this.key = key;
    }

    void post(String path, byte[] body) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(kbs.resolve(path))
          .header("Authorization", "Bearer " + token())
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("admin " + path + " failed: " + r.statusCode() + " " + r.body());
      }
    }

    private String token() throws Exception {
      return AdminTokens.ed25519(key.getPrivate(), "demo-admin", "admin", Instant.now(),
          Duration.ofMinutes(5));
    }
  }
}
