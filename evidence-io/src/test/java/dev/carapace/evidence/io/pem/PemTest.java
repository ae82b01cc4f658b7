package dev.carapace.evidence.io.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir Path dir;

  private static X509Certificate testCertificate() throws Exception {
    try (InputStream in = PemTest.class.getResourceAsStream("test-cert.pem")) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static Provider certificateProvider() throws Exception {
    return CertificateFactory.getInstance("X.509").getProvider();
  }

  private static Provider keyProvider(String algorithm) throws Exception {
    return KeyFactory.getInstance(algorithm).getProvider();
  }

  @Test
  void encodeThenLabelledBlockWith64ColumnBase64() {
    byte[] der = new byte[90];
    for (int i = 0; i < der.length; i++) {
      der[i] = (byte) i;
    }
    String pem = new String(Pem.encode("TEST", der), StandardCharsets.US_ASCII);
    String b64 = Base64.getEncoder().encodeToString(der);
    assertThat(pem).isEqualTo("-----BEGIN TEST-----\n" + b64.substring(0, 64) + "\n"
        + b64.substring(64) + "\n-----END TEST-----\n");
  }

  @Test
  void writeCertificatesThenReadCertificateReturnsTheFirst() throws Exception {
    X509Certificate cert = testCertificate();
    Path one = dir.resolve("one.pem");
    Pem.writeCertificates(one, List.of(cert));
    assertThat(Pem.readCertificate(one, certificateProvider())).isEqualTo(cert);
    assertThat(Files.readString(one)).isEqualTo(Pem.certificates(List.of(cert)));
  }

  @Test
  void certificatesThenBlocksInOrder() throws Exception {
    X509Certificate cert = testCertificate();
    String two = Pem.certificates(List.of(cert, cert));
    String one = Pem.certificates(List.of(cert));
    assertThat(two).isEqualTo(one + one);
    assertThat(Pem.certificates(List.of())).isEmpty();
  }

  @Test
  void writePrivateKeyThenReadPrivateKeyRoundTrips() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    Path file = dir.resolve("key.pem");
    Pem.writePrivateKey(file, pair.getPrivate());
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    PrivateKey read = Pem.readPrivateKey(file, "EC", keyProvider("EC"));
    assertThat(read.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void readWhenTextSurroundsTheBlockThenIgnored() throws Exception {
    Path file = dir.resolve("x.pem");
    Files.write(file, ("comment\n" + new String(Pem.encode("TEST", new byte[] {1, 2, 3}),
        StandardCharsets.US_ASCII) + "trailer\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(Pem.read(file, "TEST")).containsExactly(1, 2, 3);
  }

  @Test
  void readWhenNoneOrTwoBlocksOrOtherLabelThenIoExceptionNamingTheFile() throws Exception {
    byte[] block = Pem.encode("TEST", new byte[] {1, 2, 3});
    Path file = dir.resolve("bad.pem");
    for (String text : new String[] {"", "no pem here",
        new String(block, StandardCharsets.US_ASCII).repeat(2),
        new String(Pem.encode("OTHER", new byte[] {1}), StandardCharsets.US_ASCII),
        "-----END TEST-----\n-----BEGIN TEST-----\n"}) {
      Files.writeString(file, text);
      assertThatThrownBy(() -> Pem.read(file, "TEST")).as(text).isInstanceOf(IOException.class)
          .hasMessage("bad.pem must hold exactly one PEM TEST");
    }
  }

  @Test
  void readWhenBase64IsInvalidThenIoException() throws Exception {
    Path file = dir.resolve("b64.pem");
    Files.writeString(file, "-----BEGIN TEST-----\nAQID!!==\n-----END TEST-----\n");
    assertThatThrownBy(() -> Pem.read(file, "TEST")).isInstanceOf(IOException.class)
        .hasMessage("b64.pem has invalid base64");
  }

  @Test
  void readWhenFileIsLargerThanTheLimitThenIoExceptionBeforeReading() throws Exception {
    Path file = dir.resolve("big.pem");
    Files.write(file, new byte[Pem.MAX_FILE_SIZE + 1]);
    assertThatThrownBy(() -> Pem.read(file, "TEST")).isInstanceOf(IOException.class)
        .hasMessageContaining("larger than " + Pem.MAX_FILE_SIZE);
  }

  @Test
  void writePrivateKeyWhenKeyHasNoPkcs8EncodingThenIoException() {
    PrivateKey opaque = new PrivateKey() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getAlgorithm() {
        return "EC";
      }

      @Override
      public String getFormat() {
        return "RAW";
      }

      @Override
      public byte[] getEncoded() {
        return new byte[] {1};
      }
    };
    assertThatThrownBy(() -> Pem.writePrivateKey(dir.resolve("k.pem"), opaque))
        .isInstanceOf(IOException.class).hasMessageContaining("PKCS#8");
    assertThat(dir.resolve("k.pem")).doesNotExist();
  }
}
