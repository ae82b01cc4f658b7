package dev.carapace.evidence.io.pem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * PEM (RFC 7468) certificates and PKCS#8 private keys: encoding with 64-column base64 and LF line
 * ends, files written with {@link AtomicFiles} (key files owner-only), and files read back that
 * hold exactly one block of the expected label. Intermediate copies of key bytes are zeroed.
 * Stateless.
 */
public final class Pem {
  public static final String CERTIFICATE = "CERTIFICATE";
  public static final String PRIVATE_KEY = "PRIVATE KEY";
  /** Largest file {@link #read} accepts: two RSA-4096 PKCS#8 keys would still fit. */
  public static final int MAX_FILE_SIZE = 64 * 1024;

  private Pem() {}

  /** {@code der} as one PEM block with {@code label}, ASCII bytes ending in a newline. */
  public static byte[] encode(String label, byte[] der) {
    byte[] head = ("-----BEGIN " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(der);
    byte[] tail = ("\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + body.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    System.arraycopy(tail, 0, out, head.length + body.length, tail.length);
    Arrays.fill(body, (byte) 0);
    return out;
  }

  /**
   * PEM text of {@code certs}, in order (for example a chain leaf first).
   *
   * @throws IllegalStateException if a certificate cannot be encoded (a provider bug)
   */
  public static String certificates(List<X509Certificate> certs) {
    try {
      return encodeCertificates(certs);
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  /** Writes {@code certs} as PEM to {@code file}, atomically, world-readable. */
  public static void writeCertificates(Path file, List<X509Certificate> certs)
      throws IOException {
    String text;
    try {
      text = encodeCertificates(certs);
    } catch (CertificateEncodingException e) {
      throw new IOException("certificate cannot be encoded", e);
    }
    AtomicFiles.write(file, text.getBytes(StandardCharsets.US_ASCII), false);
  }

  /** Writes {@code key}'s PKCS#8 encoding as PEM to {@code file}, atomically, owner-only. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    byte[] der = key.getEncoded();
    if (der == null || !"PKCS#8".equals(key.getFormat())) {
      throw new IOException("private key has no PKCS#8 encoding");
    }
    byte[] pem = encode(PRIVATE_KEY, der);
    try {
      AtomicFiles.write(file, pem, true);
    } finally {
      Arrays.fill(der, (byte) 0);
      Arrays.fill(pem, (byte) 0);
    }
  }

  /** The certificate in {@code file}, which must hold exactly one PEM certificate. */
  public static X509Certificate readCertificate(Path file, Provider provider)
      throws IOException, GeneralSecurityException {
    byte[] der = read(file, CERTIFICATE);
    return (X509Certificate) CertificateFactory.getInstance("X.509", provider)
        .generateCertificate(new ByteArrayInputStream(der));
  }

  /**
   * The PKCS#8 private key in {@code file} (exactly one PEM {@value #PRIVATE_KEY}), as a key of
   * {@code algorithm} ({@code "EC"}, {@code "RSA"}, ...).
   */
  public static PrivateKey readPrivateKey(Path file, String algorithm, Provider provider)
      throws IOException, GeneralSecurityException {
    byte[] der = read(file, PRIVATE_KEY);
    try {
      return KeyFactory.getInstance(algorithm, provider)
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * The DER bytes of the single PEM block labelled {@code label} in {@code file} (at most {@link
   * #MAX_FILE_SIZE} bytes); text around the block is ignored.
   *
   * @throws IOException if the file is too large, has no such block or more than one, or its
   *     base64 is invalid; the message names the file, not its content
   */
  public static byte[] read(Path file, String label) throws IOException {
    if (Files.size(file) > MAX_FILE_SIZE) {
      throw new IOException(file.getFileName() + " is larger than " + MAX_FILE_SIZE + " bytes");
    }
    byte[] raw = Files.readAllBytes(file);
    String text = new String(raw, StandardCharsets.US_ASCII);
    Arrays.fill(raw, (byte) 0);
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b || text.indexOf(begin, b + 1) >= 0) {
      throw new IOException(file.getFileName() + " must hold exactly one PEM " + label);
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      throw new IOException(file.getFileName() + " has invalid base64", ex);
    }
  }

  private static String encodeCertificates(List<X509Certificate> certs)
      throws CertificateEncodingException {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certs) {
      sb.append(new String(encode(CERTIFICATE, c.getEncoded()), StandardCharsets.US_ASCII));
    }
    return sb.toString();
  }
}
