package dev.carapace.snp.kds;

import dev.carapace.snp.kds.KdsException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the documents AMD KDS serves: a DER (or PEM) certificate, the PEM {@code cert_chain}
 * (ASK or ASVK, then ARK) and a DER (or PEM) CRL. Inputs are capped at {@link
 * #MAX_DOCUMENT_SIZE}; anything that is not exactly one well-formed object is {@link
 * Reason#MALFORMED} (trailing bytes after DER included). Parsing only: no signature, validity or
 * issuer-trust check. Thread-safe (stateless).
 */
public final class KdsDocuments {
  /** Largest accepted document: a KDS cert chain is about 4.5 KB, a VCEK about 1.4 KB. */
  public static final int MAX_DOCUMENT_SIZE = 64 * 1024;

  private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  private static final Pattern PEM_BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private KdsDocuments() {}

  /** One X.509 certificate, DER or a single PEM {@code CERTIFICATE} block. */
  public static X509Certificate parseCertificate(byte[] data) throws KdsException {
    checkSize(data);
    if (looksLikePem(data)) {
      List<byte[]> blocks = pemBlocks(data, "CERTIFICATE");
      if (blocks.size() != 1) {
        throw new KdsException(Reason.MALFORMED,
            "expected one PEM certificate, found " + blocks.size());
      }
      return certificate(blocks.get(0));
    }
    return certificate(data);
  }

  /** Every certificate of a PEM text, in order; at least one. */
  public static List<X509Certificate> parseCertificates(byte[] pem) throws KdsException {
    checkSize(pem);
    List<X509Certificate> out = new ArrayList<>();
    for (byte[] der : pemBlocks(pem, "CERTIFICATE")) {
      out.add(certificate(der));
    }
    if (out.isEmpty()) {
      throw new KdsException(Reason.MALFORMED, "no PEM certificate found");
    }
    return List.copyOf(out);
  }

  /**
   * A KDS {@code cert_chain}: exactly two PEM certificates, an intermediate (ASK or ASVK) issued
   * by a self-issued root (ARK). Returned intermediate first; a file with the root first is
   * accepted and reordered.
   */
  public static List<X509Certificate> parseCertChain(byte[] pem) throws KdsException {
    List<X509Certificate> certs = parseCertificates(pem);
    if (certs.size() != 2) {
      throw new KdsException(Reason.MALFORMED,
          "a cert_chain holds 2 certificates (ASK/ASVK, ARK), found " + certs.size());
    }
    X509Certificate a = certs.get(0);
    X509Certificate b = certs.get(1);
    if (selfIssued(b) && !selfIssued(a) && issuedBy(a, b)) {
      return List.of(a, b);
    }
    if (selfIssued(a) && !selfIssued(b) && issuedBy(b, a)) {
      return List.of(b, a);
    }
    throw new KdsException(Reason.MALFORMED, "cert_chain is not an intermediate and its"
        + " self-issued root: " + a.getSubjectX500Principal() + " / "
        + b.getSubjectX500Principal());
  }

  /** One X.509 CRL, DER or a single PEM {@code X509 CRL} block. */
  public static X509CRL parseCrl(byte[] data) throws KdsException {
    checkSize(data);
    byte[] der = data;
    if (looksLikePem(data)) {
      List<byte[]> blocks = pemBlocks(data, "X509 CRL");
      if (blocks.size() != 1) {
        throw new KdsException(Reason.MALFORMED, "expected one PEM CRL, found " + blocks.size());
      }
      der = blocks.get(0);
    }
    try {
      X509CRL crl = (X509CRL) factory().generateCRL(new ByteArrayInputStream(der));
      if (crl == null || !Arrays.equals(crl.getEncoded(), der)) {
        throw new KdsException(Reason.MALFORMED, "CRL has trailing or non-canonical bytes");
      }
      return crl;
    } catch (CRLException | CertificateException | RuntimeException e) {
      // RuntimeException: the JDK parsers are not specified to reject all garbage cleanly.
      throw new KdsException(Reason.MALFORMED, "bad CRL encoding: " + e.getMessage(), e);
    }
  }

  static void checkSize(byte[] data) throws KdsException {
    if (data.length > MAX_DOCUMENT_SIZE) {
      throw new KdsException(Reason.MALFORMED,
          "document of " + data.length + " bytes exceeds " + MAX_DOCUMENT_SIZE);
    }
    if (data.length == 0) {
      throw new KdsException(Reason.MALFORMED, "empty document");
    }
  }

  private static X509Certificate certificate(byte[] der) throws KdsException {
    try {
      X509Certificate cert =
          (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
      if (cert == null || !Arrays.equals(cert.getEncoded(), der)) {
        throw new KdsException(Reason.MALFORMED, "certificate has trailing or extra bytes");
      }
      return cert;
    } catch (CertificateException | RuntimeException e) {
      throw new KdsException(Reason.MALFORMED, "bad certificate encoding: " + e.getMessage(), e);
    }
  }

  private static CertificateFactory factory() throws CertificateException {
    return CertificateFactory.getInstance("X.509");
  }

  private static boolean looksLikePem(byte[] data) {
    int i = 0;
    while (i < data.length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r'
        || data[i] == '\n')) {
      i++;
    }
    return data.length - i >= 5 && data[i] == '-' && data[i + 1] == '-' && data[i + 2] == '-';
  }

  /** The DER of each PEM block of {@code type}; a malformed or foreign block is MALFORMED. */
  private static List<byte[]> pemBlocks(byte[] data, String type) throws KdsException {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    int begins = 0;
    Matcher b = PEM_BEGIN.matcher(text);
    while (b.find()) {
      begins++;
    }
    List<byte[]> out = new ArrayList<>();
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals(type)) {
        throw new KdsException(Reason.MALFORMED,
            "unexpected PEM block " + m.group(1) + ", want " + type);
      }
      try {
        out.add(Base64.getMimeDecoder().decode(m.group(2)));
      } catch (IllegalArgumentException e) {
        throw new KdsException(Reason.MALFORMED, "bad base64 in PEM " + type, e);
      }
    }
    if (out.size() != begins) {
      throw new KdsException(Reason.MALFORMED, "unterminated or malformed PEM block");
    }
    return out;
  }

  private static boolean selfIssued(X509Certificate c) {
    return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
  }

  private static boolean issuedBy(X509Certificate child, X509Certificate parent) {
    return child.getIssuerX500Principal().equals(parent.getSubjectX500Principal());
  }
}
