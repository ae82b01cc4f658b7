package dev.carapace.guest.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.wire.KbsProtocolException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * KBS resource JWEs (Trustee {@code kbs/src/jwe}): A256GCM content encryption with a random
 * 32-byte CEK and 12-byte IV, the CEK wrapped with {@code ECDH-ES+A256KW} (P-256, P-521;
 * Concat KDF with SHA-256, empty apu/apv) or {@code RSA-OAEP-256}.
 *
 * <p>Decryption recomputes the AAD the way CoCo guests do ({@code kbs-types generate_aad}):
 * the protected header is parsed and re-serialized as compact JSON with {@code alg} first,
 * {@code enc} second, then the other members with keys sorted (recursively), and base64url
 * encoded. A header that does not survive this round trip does not decrypt, exactly as in CoCo.
 * Stateless and thread-safe; every JCA object comes from the provider passed in.
 */
public final class Jwe {
  public static final String ECDH_ES_A256KW = "ECDH-ES+A256KW";
  public static final String RSA_OAEP_256 = "RSA-OAEP-256";
  public static final String A256GCM = "A256GCM";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64URL_DEC = Base64.getUrlDecoder();
  private static final int GCM_TAG_BITS = 128;

  private Jwe() {}

  /** Encrypts {@code plaintext} to {@code recipient} (EC P-256/P-521 or RSA) with {@code alg}. */
  public static JweResponse encrypt(Bytes plaintext, PublicKey recipient, String alg,
      SecureRandom random, Provider provider) throws GeneralSecurityException {
    byte[] cek = new byte[32];
    random.nextBytes(cek);
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    ObjectNode header = JsonNodeFactory.instance.objectNode();
    header.put("alg", alg);
    header.put("enc", A256GCM);
    byte[] encryptedKey;
    if (ECDH_ES_A256KW.equals(alg) && recipient instanceof ECPublicKey ec) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
      g.initialize(ec.getParams(), random);
      KeyPair epk = g.generateKeyPair();
      int size = fieldSize(ec.getParams());
      ObjectNode epkJwk = header.putObject("epk");
      epkJwk.put("crv", curveName(size));
      epkJwk.put("kty", "EC");
      ECPoint w = ((ECPublicKey) epk.getPublic()).getW();
      epkJwk.put("x", B64URL.encodeToString(fixed(w.getAffineX(), size)));
      epkJwk.put("y", B64URL.encodeToString(fixed(w.getAffineY(), size)));
      byte[] kek = kek(epk.getPrivate(), ec, provider);
      Cipher wrap = Cipher.getInstance("AESWrap", provider);
      wrap.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
      encryptedKey = wrap.wrap(new SecretKeySpec(cek, "AES"));
    } else if (RSA_OAEP_256.equals(alg) && recipient instanceof RSAPublicKey) {
      Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding", provider);
      c.init(Cipher.ENCRYPT_MODE, recipient, oaep(), random);
      encryptedKey = c.doFinal(cek);
    } else {
      throw new GeneralSecurityException("cannot encrypt with " + alg + " to a "
          + recipient.getAlgorithm() + " key");
    }
    String protectedHeader = B64URL.encodeToString(compact(header));
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", provider);
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"),
        new GCMParameterSpec(GCM_TAG_BITS, iv));
    gcm.updateAAD(protectedHeader.getBytes(StandardCharsets.US_ASCII));
    byte[] out = gcm.doFinal(plaintext.toByteArray());
    int n = out.length - GCM_TAG_BITS / 8;
    return new JweResponse(protectedHeader, B64URL.encodeToString(encryptedKey),
        B64URL.encodeToString(iv), B64URL.encodeToString(java.util.Arrays.copyOf(out, n)),
        B64URL.encodeToString(java.util.Arrays.copyOfRange(out, n, out.length)));
  }

  /**
   * Decrypts {@code response} with {@code key}.
   *
   * @throws KbsProtocolException MALFORMED for a header or member that does not decode,
   *     UNSUPPORTED_ALGORITHM for another {@code alg}/{@code enc} or a key of the wrong type,
   *     DECRYPTION_FAILED when unwrapping or authentication fails
   */
  public static Bytes decrypt(JweResponse response, PrivateKey key, Provider provider)
      throws KbsProtocolException {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(provider, "provider");
    ObjectNode header;
    try {
      JsonNode h = MAPPER.readTree(b64(response.protectedHeader(), "protected"));
      if (!(h instanceof ObjectNode o)) {
        throw new KbsProtocolException(Reason.MALFORMED, "JWE protected header must be an object");
      }
      header = o;
    } catch (IOException e) {
      throw new KbsProtocolException(Reason.MALFORMED, "JWE protected header is not JSON", e);
    }
    String alg = header.path("alg").asText("");
    String enc = header.path("enc").asText("");
    if (!A256GCM.equals(enc)) {
      throw new KbsProtocolException(Reason.UNSUPPORTED_ALGORITHM,
          "JWE enc must be A256GCM, got " + enc);
    }
    byte[] encryptedKey = b64(response.encryptedKey(), "encrypted_key");
    byte[] iv = b64(response.iv(), "iv");
    byte[] ciphertext = b64(response.ciphertext(), "ciphertext");
    byte[] tag = b64(response.tag(), "tag");
    if (iv.length != 12 || tag.length != 16) {
      throw new KbsProtocolException(Reason.MALFORMED, "JWE iv must be 12 bytes and tag 16, got "
          + iv.length + " and " + tag.length);
    }
    byte[] cek;
    try {
      cek = unwrapCek(alg, header, encryptedKey, key, provider);
    } catch (GeneralSecurityException e) {
      throw new KbsProtocolException(Reason.DECRYPTION_FAILED,
          "cannot unwrap the JWE content key (" + alg + ")", e);
    }
    byte[] aad = B64URL.encodeToString(compact(coCoHeader(header)))
        .getBytes(StandardCharsets.US_ASCII);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", provider);
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"),
          new GCMParameterSpec(GCM_TAG_BITS, iv));
      gcm.updateAAD(aad);
      gcm.update(ciphertext);
      return Bytes.copyOf(gcm.doFinal(tag));
    } catch (GeneralSecurityException e) {
      throw new KbsProtocolException(Reason.DECRYPTION_FAILED,
          "JWE content does not authenticate with A256GCM", e);
    } finally {
      java.util.Arrays.fill(cek, (byte) 0);
    }
  }

  /** The response as Trustee serializes it. */
  public static ObjectNode toJson(JweResponse r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("protected", r.protectedHeader());
    o.put("encrypted_key", r.encryptedKey());
    o.put("iv", r.iv());
    o.put("ciphertext", r.ciphertext());
    o.put("tag", r.tag());
    return o;
  }

  /** Reads a response body; the five members must be strings ({@code aad} must be absent). */
  public static JweResponse fromJson(JsonNode json) throws KbsProtocolException {
    if (!(json instanceof ObjectNode o)) {
      throw new KbsProtocolException(Reason.MALFORMED, "JWE response must be a JSON object");
    }
    if (o.has("aad")) {
      throw new KbsProtocolException(Reason.MALFORMED, "JWE response must not carry aad");
    }
    return new JweResponse(text(o, "protected"), text(o, "encrypted_key"), text(o, "iv"),
        text(o, "ciphertext"), text(o, "tag"));
  }

  private static String text(ObjectNode o, String name) throws KbsProtocolException {
    JsonNode n = o.get(name);
    if (n == null || !n.isTextual()) {
      throw new KbsProtocolException(Reason.MALFORMED, "JWE response needs a string " + name);
    }
    return n.asText();
  }

  private static byte[] unwrapCek(String alg, ObjectNode header, byte[] encryptedKey,
      PrivateKey key, Provider provider) throws GeneralSecurityException, KbsProtocolException {
    if (ECDH_ES_A256KW.equals(alg)) {
      if (!(key instanceof ECPrivateKey ec)) {
        throw new KbsProtocolException(Reason.UNSUPPORTED_ALGORITHM,
            ECDH_ES_A256KW + " needs an EC key");
      }
      JsonNode epk = header.get("epk");
      int size = fieldSize(ec.getParams());
      if (epk == null || !"EC".equals(epk.path("kty").asText())
          || !curveName(size).equals(epk.path("crv").asText())) {
        throw new KbsProtocolException(Reason.MALFORMED,
            "JWE epk must be an EC key on " + curveName(size));
      }
      byte[] x = b64(epk.path("x").asText(""), "epk.x");
      byte[] y = b64(epk.path("y").asText(""), "epk.y");
      if (x.length != size || y.length != size) {
        throw new KbsProtocolException(Reason.MALFORMED, "JWE epk coordinates must be " + size
            + " bytes");
      }
      PublicKey ephemeral = KeyFactory.getInstance("EC", provider).generatePublic(
          new ECPublicKeySpec(new ECPoint(new BigInteger(1, x), new BigInteger(1, y)),
              ec.getParams()));
      byte[] kek = kek(ec, ephemeral, provider);
      Cipher unwrap = Cipher.getInstance("AESWrap", provider);
      unwrap.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek, "AES"));
      Key cek = unwrap.unwrap(encryptedKey, "AES", Cipher.SECRET_KEY);
      return cek.getEncoded();
    }
    if (RSA_OAEP_256.equals(alg)) {
      if (!(key instanceof RSAPrivateKey)) {
        throw new KbsProtocolException(Reason.UNSUPPORTED_ALGORITHM,
            RSA_OAEP_256 + " needs an RSA key");
      }
      Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding", provider);
      c.init(Cipher.DECRYPT_MODE, key, oaep());
      byte[] cek = c.doFinal(encryptedKey);
      if (cek.length != 32) {
        throw new GeneralSecurityException("A256GCM content key must be 32 bytes");
      }
      return cek;
    }
    throw new KbsProtocolException(Reason.UNSUPPORTED_ALGORITHM, "unsupported JWE alg " + alg);
  }

  /** Concat KDF (SHA-256, one round) of the ECDH secret, as RFC 7518 §4.6.2. */
  private static byte[] kek(PrivateKey priv, PublicKey pub, Provider provider)
      throws GeneralSecurityException {
    KeyAgreement ka = KeyAgreement.getInstance("ECDH", provider);
    ka.init(priv);
    ka.doPhase(pub, true);
    byte[] z = ka.generateSecret();
    byte[] algId = ECDH_ES_A256KW.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer info = ByteBuffer.allocate(4 + z.length + 4 + algId.length + 4 + 4 + 4);
    info.putInt(1).put(z).putInt(algId.length).put(algId).putInt(0).putInt(0).putInt(256);
    try {
      return MessageDigest.getInstance("SHA-256", provider).digest(info.array());
    } finally {
      java.util.Arrays.fill(z, (byte) 0);
    }
  }

  private static OAEPParameterSpec oaep() {
    return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        PSource.PSpecified.DEFAULT);
  }

  /** The header as kbs-types re-serializes it: alg, enc, then the rest with sorted keys. */
  static ObjectNode coCoHeader(ObjectNode header) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("alg", header.get("alg"));
    out.set("enc", header.get("enc"));
    List<String> rest = new ArrayList<>();
    header.fieldNames().forEachRemaining(rest::add);
    rest.remove("alg");
    rest.remove("enc");
    Collections.sort(rest);
    for (String k : rest) {
      out.set(k, sorted(header.get(k)));
    }
    return out;
  }

  private static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      List<String> keys = new ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      Collections.sort(keys);
      for (String k : keys) {
        out.set(k, sorted(n.get(k)));
      }
      return out;
    }
    if (n.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        out.add(sorted(it.next()));
      }
      return out;
    }
    return n;
  }

  private static byte[] compact(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static byte[] b64(String text, String what) throws KbsProtocolException {
    try {
      return B64URL_DEC.decode(text);
    } catch (IllegalArgumentException e) {
      throw new KbsProtocolException(Reason.MALFORMED, "JWE " + what + " is not base64url", e);
    }
  }

  private static int fieldSize(ECParameterSpec p) {
    return (p.getCurve().getField().getFieldSize() + 7) / 8;
  }

  private static String curveName(int size) throws GeneralSecurityException {
    return switch (size) {
      case 32 -> "P-256";
      case 66 -> "P-521";
      default -> throw new GeneralSecurityException("only P-256 and P-521 are supported");
    };
  }

  private static byte[] fixed(BigInteger v, int size) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[size];
    int n = Math.min(b.length, size);
    System.arraycopy(b, b.length - n, out, size - n, n);
    return out;
  }
}
