package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
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
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The KBS resource JWE (Trustee {@code kbs/src/jwe}): content encrypted with A256GCM under a
 * random 256-bit key, the key wrapped to the TEE key with {@code ECDH-ES+A256KW} (P-256, P-521;
 * Concat KDF with SHA-256, empty PartyUInfo/PartyVInfo) or {@code RSA-OAEP-256}.
 *
 * <p>The protected header is written in the one form CoCo guests reproduce when they recompute
 * the AAD (kbs-types re-serializes it): compact JSON, {@code alg} then {@code enc} then the other
 * members sorted by name, nested {@code epk} members sorted ({@code crv, kty, x, y}).
 * {@link #decrypt} recomputes the AAD the same way, as a guest does. Stateless and thread-safe;
 * the optional {@link Provider} is used for EC key generation and agreement (JDK otherwise).
 */
public final class Jwe {
  private Jwe() {}

  /** The only content encryption the protocol uses. */
  public static final String ENC = "A256GCM";
  private static final int CEK_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  /** Largest plaintext this class encrypts or decrypts. */
  public static final int MAX_PLAINTEXT = 64 * 1024 * 1024;

  /** Encrypts {@code plaintext} to {@code key}. */
  public static JweResponse encrypt(byte[] plaintext, TeePublicKey key, SecureRandom random,
      @Nullable Provider provider) throws KbsProtocolException {
    byte[] cek = new byte[CEK_BYTES];
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(cek);
    random.nextBytes(iv);
    try {
      KeyPair ephemeral = null;
      if (key instanceof EcTeePublicKey ec) {
        KeyPairGenerator g = provider == null ? KeyPairGenerator.getInstance("EC")
            : KeyPairGenerator.getInstance("EC", provider);
        // A named curve lets providers use their precomputed tables (BouncyCastle: 3x faster
        // than explicit parameters).
        g.initialize(new ECGenParameterSpec(ec.curve().jcaName()), random);
        ephemeral = g.generateKeyPair();
      }
      return encrypt(plaintext, key, ephemeral, cek, iv, random, provider);
    } catch (GeneralSecurityException e) {
      throw new KbsProtocolException(Reason.CRYPTO_UNAVAILABLE,
          "cannot encrypt to the TEE key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(cek, (byte) 0);
    }
  }

  /** Deterministic core: given ephemeral key (EC), content key and IV. Package-private for tests. */
  static JweResponse encrypt(byte[] plaintext, TeePublicKey key, @Nullable KeyPair ephemeral,
      byte[] cek, byte[] iv, SecureRandom random, @Nullable Provider provider)
      throws KbsProtocolException, GeneralSecurityException {
    if (plaintext.length > MAX_PLAINTEXT) {
      throw new KbsProtocolException(Reason.MALFORMED_MESSAGE, "the resource is too large");
    }
    String header;
    byte[] encryptedKey;
    if (key instanceof EcTeePublicKey ec) {
      if (ephemeral == null) {
        throw new IllegalArgumentException("ECDH-ES needs an ephemeral key pair");
      }
      EcTeePublicKey epk = EcTeePublicKey.of((ECPublicKey) ephemeral.getPublic());
      byte[] kek = kek(ephemeral.getPrivate(), ec.toPublicKey(), ec.curve(), provider);
      try {
        Cipher wrap = Cipher.getInstance("AESWrap");
        wrap.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
        encryptedKey = wrap.wrap(new SecretKeySpec(cek, "AES"));
      } finally {
        Arrays.fill(kek, (byte) 0);
      }
      header = "{\"alg\":\"" + EcTeePublicKey.ALG + "\",\"enc\":\"" + ENC + "\",\"epk\":{\"crv\":\""
          + ec.curve().jwkName() + "\",\"kty\":\"EC\",\"x\":\"" + KbsJson.base64Url(epk.x())
          + "\",\"y\":\"" + KbsJson.base64Url(epk.y()) + "\"}}";
    } else if (key instanceof RsaTeePublicKey rsa) {
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(Cipher.ENCRYPT_MODE, rsa.toPublicKey(), oaepSha256(), random);
      encryptedKey = oaep.doFinal(cek);
      header = "{\"alg\":\"" + RsaTeePublicKey.ALG + "\",\"enc\":\"" + ENC + "\"}";
    } else {
      throw new KbsProtocolException(Reason.UNSUPPORTED_KEY, "unsupported TEE key");
    }
    String protectedB64 = KbsJson.base64Url(header.getBytes(StandardCharsets.UTF_8));
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"),
        new GCMParameterSpec(TAG_BITS, iv));
    gcm.updateAAD(protectedB64.getBytes(StandardCharsets.US_ASCII));
    byte[] sealed = gcm.doFinal(plaintext);
    int ctLen = sealed.length - TAG_BITS / 8;
    return new JweResponse(protectedB64, KbsJson.base64Url(encryptedKey), KbsJson.base64Url(iv),
        KbsJson.base64Url(Arrays.copyOf(sealed, ctLen)),
        KbsJson.base64Url(Arrays.copyOfRange(sealed, ctLen, sealed.length)));
  }

  /**
   * Decrypts a KBS response with the TEE private key, as a CoCo guest does (the AAD is the
   * base64url of the re-serialized protected header).
   *
   * @throws KbsProtocolException MALFORMED_JWE for a malformed response or header,
   *     UNSUPPORTED_KEY for another alg/enc, DECRYPTION_FAILED when it does not decrypt
   */
  public static Bytes decrypt(JweResponse jwe, PrivateKey key, @Nullable Provider provider)
      throws KbsProtocolException {
    byte[] headerBytes;
    byte[] encryptedKey;
    byte[] iv;
    byte[] ciphertext;
    byte[] tag;
    try {
      headerBytes = KbsJson.base64UrlDecode(jwe.protectedHeader());
      encryptedKey = KbsJson.base64UrlDecode(jwe.encryptedKey());
      iv = KbsJson.base64UrlDecode(jwe.iv());
      ciphertext = KbsJson.base64UrlDecode(jwe.ciphertext());
      tag = KbsJson.base64UrlDecode(jwe.tag());
    } catch (IllegalArgumentException e) {
      throw new KbsProtocolException(Reason.MALFORMED_JWE, "a JWE member is not base64url");
    }
    if (iv.length != IV_BYTES || tag.length != TAG_BITS / 8) {
      throw new KbsProtocolException(Reason.MALFORMED_JWE, "the JWE iv or tag has the wrong size");
    }
    if (ciphertext.length > MAX_PLAINTEXT) {
      throw new KbsProtocolException(Reason.MALFORMED_JWE, "the JWE ciphertext is too large");
    }
    JsonNode header = KbsJson.parse(headerBytes);
    if (!header.isObject()) {
      throw new KbsProtocolException(Reason.MALFORMED_JWE, "the protected header is not an object");
    }
    String alg = KbsJson.text(header, "alg", Reason.MALFORMED_JWE);
    String enc = KbsJson.text(header, "enc", Reason.MALFORMED_JWE);
    if (!ENC.equals(enc)) {
      throw new KbsProtocolException(Reason.UNSUPPORTED_KEY, "JWE enc must be " + ENC);
    }
    byte[] cek = null;
    try {
      if (EcTeePublicKey.ALG.equals(alg)) {
        if (!(key instanceof ECPrivateKey ecKey)) {
          throw new KbsProtocolException(Reason.DECRYPTION_FAILED,
              "an ECDH-ES JWE needs an EC private key");
        }
        JsonNode epkNode = header.get("epk");
        if (epkNode == null || !epkNode.isObject()) {
          throw new KbsProtocolException(Reason.MALFORMED_JWE, "ECDH-ES header without epk");
        }
        ObjectNode withAlg = ((ObjectNode) epkNode).deepCopy();
        withAlg.put("alg", EcTeePublicKey.ALG);
        EcTeePublicKey epk = EcTeePublicKey.fromJwk(withAlg);
        int field = ecKey.getParams().getCurve().getField().getFieldSize();
        if ((field + 7) / 8 != epk.curve().coordinateSize()) {
          throw new KbsProtocolException(Reason.DECRYPTION_FAILED,
              "the epk is not on the TEE key's curve");
        }
        byte[] kek = kek(key, epk.toPublicKey(), epk.curve(), provider);
        try {
          Cipher unwrap = Cipher.getInstance("AESWrap");
          unwrap.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek, "AES"));
          cek = unwrap.unwrap(encryptedKey, "AES", Cipher.SECRET_KEY).getEncoded();
        } finally {
          Arrays.fill(kek, (byte) 0);
        }
      } else if (RsaTeePublicKey.ALG.equals(alg)) {
        if (!(key instanceof RSAPrivateKey)) {
          throw new KbsProtocolException(Reason.DECRYPTION_FAILED,
              "an RSA-OAEP-256 JWE needs an RSA private key");
        }
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.DECRYPT_MODE, key, oaepSha256());
        cek = oaep.doFinal(encryptedKey);
      } else {
        throw new KbsProtocolException(Reason.UNSUPPORTED_KEY,
            "JWE alg \"" + alg + "\" is not supported");
      }
      if (cek.length != CEK_BYTES) {
        throw new KbsProtocolException(Reason.DECRYPTION_FAILED, "the content key is not 256 bits");
      }
      String aad = KbsJson.base64Url(guestHeaderSerialization(header)
          .getBytes(StandardCharsets.UTF_8));
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"),
          new GCMParameterSpec(TAG_BITS, iv));
      gcm.updateAAD(aad.getBytes(StandardCharsets.US_ASCII));
      gcm.update(ciphertext);
      return Bytes.copyOf(gcm.doFinal(tag));
    } catch (GeneralSecurityException e) {
      throw new KbsProtocolException(Reason.DECRYPTION_FAILED,
          "the JWE does not decrypt with this key", e);
    } finally {
      if (cek != null) {
        Arrays.fill(cek, (byte) 0);
      }
    }
  }

  /**
   * The protected header as kbs-types re-serializes it: {@code alg}, {@code enc}, then the other
   * members sorted by name, nested objects sorted, compact.
   */
  static String guestHeaderSerialization(JsonNode header) {
    ObjectNode out = KbsJson.object();
    out.set("alg", header.get("alg"));
    out.set("enc", header.get("enc"));
    List<String> rest = new ArrayList<>();
    header.fieldNames().forEachRemaining(rest::add);
    rest.remove("alg");
    rest.remove("enc");
    rest.sort(null);
    for (String name : rest) {
      out.set(name, sorted(header.get(name)));
    }
    return KbsJson.write(out);
  }

  private static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      ObjectNode o = KbsJson.object();
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        o.set(name, sorted(n.get(name)));
      }
      return o;
    }
    if (n.isArray()) {
      var a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        a.add(sorted(it.next()));
      }
      return a;
    }
    return n;
  }

  /** ECDH then Concat KDF (RFC 7518 4.6.2) for ECDH-ES+A256KW. */
  private static byte[] kek(PrivateKey mine, PublicKey theirs, EcTeePublicKey.Curve curve,
      @Nullable Provider provider) throws GeneralSecurityException {
    KeyAgreement ka = provider == null ? KeyAgreement.getInstance("ECDH")
        : KeyAgreement.getInstance("ECDH", provider);
    ka.init(mine);
    ka.doPhase(theirs, true);
    byte[] z = ka.generateSecret();
    try {
      if (z.length != curve.coordinateSize()) {
        throw new GeneralSecurityException("unexpected shared secret size");
      }
      byte[] alg = EcTeePublicKey.ALG.getBytes(StandardCharsets.US_ASCII);
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(new byte[] {0, 0, 0, 1});
      sha256.update(z);
      sha256.update(ByteBuffer.allocate(4).putInt(alg.length).array());
      sha256.update(alg);
      sha256.update(new byte[4]);
      sha256.update(new byte[4]);
      sha256.update(ByteBuffer.allocate(4).putInt(256).array());
      return sha256.digest();
    } finally {
      Arrays.fill(z, (byte) 0);
    }
  }

  private static OAEPParameterSpec oaepSha256() {
    return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        PSource.PSpecified.DEFAULT);
  }

}
