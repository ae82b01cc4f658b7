package dev.carapace.snp.simulate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * PEM files of a {@link SnpDevelopmentPki}: certificates and PKCS#8 RSA private keys, each
 * written atomically (temporary sibling, fsync, atomic rename); key files are 0600 where POSIX
 * permissions exist. Stateless.
 */
final class PemFiles {
  private static final String CERT = "CERTIFICATE";
  private static final String KEY = "PRIVATE KEY";
  /** Two RSA-4096 PKCS#8 keys would still fit; anything larger is not ours. */
  private static final int MAX_FILE_SIZE = 64 * 1024;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private PemFiles() {}

  /** PEM text of {@code certs}, in order (for example ASK then ARK, as KDS serves them). */
  static String pem(List<X509Certificate> certs) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certs) {
      try {
        sb.append(new String(pem(CERT, c.getEncoded()), StandardCharsets.US_ASCII));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("certificate cannot be encoded", e);
      }
    }
    return sb.toString();
  }

  static void writeCertificates(Path file, List<X509Certificate> certs) throws IOException {
    atomicWrite(file, pem(certs).getBytes(StandardCharsets.US_ASCII), false);
  }

  static void writeKey(Path file, PrivateKey key) throws IOException {
    byte[] der = key.getEncoded();
    if (der == null || !"PKCS#8".equals(key.getFormat())) {
      throw new IOException("private key has no PKCS#8 encoding");
    }
    byte[] pem = pem(KEY, der);
    try {
      atomicWrite(file, pem, true);
    } finally {
      Arrays.fill(der, (byte) 0);
      Arrays.fill(pem, (byte) 0);
    }
  }

  static X509Certificate readCertificate(Path file, Provider provider)
      throws IOException, GeneralSecurityException {
    byte[] der = unpem(file, CERT);
    return (X509Certificate) CertificateFactory.getInstance("X.509", provider)
        .generateCertificate(new ByteArrayInputStream(der));
  }

  static PrivateKey readRsaKey(Path file, Provider provider)
      throws IOException, GeneralSecurityException {
    byte[] der = unpem(file, KEY);
    try {
      return KeyFactory.getInstance("RSA", provider).generatePrivate(new PKCS8EncodedKeySpec(der));
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** Throws unless {@code key} is the RSA private key of {@code cert}'s public key. */
  static void requireKeyMatches(PrivateKey key, X509Certificate cert, String what)
      throws GeneralSecurityException {
    if (!(key instanceof RSAPrivateCrtKey priv)
        || !(cert.getPublicKey() instanceof RSAPublicKey pub)) {
      throw new InvalidKeyException(what + ": key and certificate must be RSA keys");
    }
    if (!priv.getModulus().equals(pub.getModulus())
        || !priv.getPublicExponent().equals(pub.getPublicExponent())
        || !priv.getPrimeP().multiply(priv.getPrimeQ()).equals(pub.getModulus())) {
      throw new InvalidKeyException(what + ": private key does not match the certificate");
    }
  }

  private static byte[] pem(String label, byte[] der) {
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

  private static byte[] unpem(Path file, String label) throws IOException {
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

  /** Writes {@code content} to a temporary sibling, fsyncs it and renames it over {@code file}. */
  static void atomicWrite(Path file, byte[] content, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (posix && !secret) {
        Files.setPosixFilePermissions(tmp, WORLD_READABLE);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("file system cannot rename atomically: " + dir, e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every platform can open or sync a directory; the rename itself is still atomic.
    }
  }
}
