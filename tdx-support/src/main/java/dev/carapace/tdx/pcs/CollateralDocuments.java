package dev.carapace.tdx.pcs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the documents Intel PCS serves: PEM certificate chains, CRLs (DER, PEM or hex), and the
 * signed TCB Info / QE Identity JSON. Signed JSON keeps the exact bytes that were signed. Any
 * malformed input raises {@link CollateralException} with {@link Reason#MALFORMED}. Thread-safe.
 *
 * <p>JSON objects with a repeated member name are malformed: otherwise a response could carry
 * the signed {@code tcbInfo} first and a second, unsigned one that the parse would use. PCS
 * responses must be UTF-8 (RFC 8259), as the signed bytes are sliced out of them.
 */
public final class CollateralDocuments {
  /** Upper bound on one collateral document. PCS documents are a few KB. */
  public static final int MAX_DOCUMENT_SIZE = 1 << 20;

  private static final Pattern PEM_CERT = Pattern.compile(
      "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");
  // Duplicate member names are rejected: otherwise the signed span (first "tcbInfo") and the
  // parsed tree (Jackson keeps the last duplicate) could describe different objects.
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final ObjectMapper MAPPER = JsonMapper.builder(JSON)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private CollateralDocuments() {}

  /** Parses concatenated PEM certificates, in order. */
  public static List<X509Certificate> parseCertificateChain(String pem) throws CollateralException {
    List<X509Certificate> out = new ArrayList<>();
    Matcher m = PEM_CERT.matcher(pem);
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        byte[] der = java.util.Base64.getMimeDecoder().decode(m.group(1));
        out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
      throw new CollateralException(Reason.MALFORMED, "bad certificate in PEM chain", e);
    }
    if (out.isEmpty()) {
      throw new CollateralException(Reason.MALFORMED, "no PEM certificate found");
    }
    return List.copyOf(out);
  }

  /** Parses a CRL given as DER, PEM, or hex of DER (PCCS serves the root CRL as hex). */
  public static X509CRL parseCrl(byte[] encoded) throws CollateralException {
    checkSize(encoded);
    byte[] der = encoded;
    String text = new String(encoded, StandardCharsets.US_ASCII).trim();
    if (text.startsWith("-----BEGIN X509 CRL-----")) {
      String body = text.replace("-----BEGIN X509 CRL-----", "")
          .replace("-----END X509 CRL-----", "");
      try {
        der = java.util.Base64.getMimeDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new CollateralException(Reason.MALFORMED, "bad base64 in PEM CRL", e);
      }
    } else if (!text.isEmpty() && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      try {
        der = HexFormat.of().parseHex(text);
      } catch (IllegalArgumentException e) {
        throw new CollateralException(Reason.MALFORMED, "bad hex CRL", e);
      }
    }
    try {
      return (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(der));
    } catch (CRLException | CertificateException | ClassCastException e) {
      throw new CollateralException(Reason.MALFORMED, "bad CRL encoding", e);
    }
  }

  /** Parses a PCS TCB Info response body {@code {"tcbInfo":{...},"signature":"<hex>"}}. */
  public static Signed<TcbInfo> parseTcbInfoResponse(byte[] body) throws CollateralException {
    return parseSignedResponse(body, "tcbInfo", CollateralDocuments::parseTcbInfoJson);
  }

  /** Parses a PCS QE identity response body {@code {"enclaveIdentity":{...},"signature":...}}. */
  public static Signed<QeIdentity> parseQeIdentityResponse(byte[] body) throws CollateralException {
    return parseSignedResponse(body, "enclaveIdentity", CollateralDocuments::parseQeIdentityJson);
  }

  /** TCB Info from its exact signed JSON text and a separate hex signature. */
  public static Signed<TcbInfo> tcbInfo(byte[] signedJson, String signatureHex)
      throws CollateralException {
    return new Signed<>(parseTcbInfoJson(readTree(signedJson)), Bytes.copyOf(signedJson),
        signature(signatureHex));
  }

  /** QE Identity from its exact signed JSON text and a separate hex signature. */
  public static Signed<QeIdentity> qeIdentity(byte[] signedJson, String signatureHex)
      throws CollateralException {
    return new Signed<>(parseQeIdentityJson(readTree(signedJson)), Bytes.copyOf(signedJson),
        signature(signatureHex));
  }

  private interface NodeParser<T> {
    T parse(JsonNode node) throws CollateralException;
  }

  private static <T> Signed<T> parseSignedResponse(byte[] body, String key, NodeParser<T> parser)
      throws CollateralException {
    checkSize(body);
    int[] span = topLevelValueSpan(body, key);
    byte[] signed = java.util.Arrays.copyOfRange(body, span[0], span[1]);
    JsonNode root = readTree(body);
    JsonNode sig = root.get("signature");
    if (sig == null || !sig.isTextual()) {
      throw new CollateralException(Reason.MALFORMED, "response has no \"signature\" string");
    }
    // Parse the value from the signed bytes themselves, so value and signedBody cannot diverge.
    return new Signed<>(parser.parse(readTree(signed)), Bytes.copyOf(signed),
        signature(sig.asText()));
  }

  /** Byte span [start, end) of the value of a top-level object member, exactly as received. */
  private static int[] topLevelValueSpan(byte[] body, String key) throws CollateralException {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new CollateralException(Reason.MALFORMED, "response is not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (key.equals(name) && value == JsonToken.START_OBJECT) {
          long start = p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          long end = p.currentLocation().getByteOffset();
          if (start < 0 || end < start) {
            // Jackson reads UTF-16 and UTF-32 through a Reader and reports no byte offsets.
            throw new CollateralException(Reason.MALFORMED, "response is not UTF-8 JSON");
          }
          return new int[] {(int) start, (int) end};
        }
        p.skipChildren();
      }
      throw new CollateralException(Reason.MALFORMED, "response has no \"" + key + "\" object");
    } catch (IOException e) {
      throw new CollateralException(Reason.MALFORMED, "response is not valid JSON", e);
    }
  }

  private static JsonNode readTree(byte[] json) throws CollateralException {
    checkSize(json);
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || !n.isObject()) {
        throw new CollateralException(Reason.MALFORMED, "document is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new CollateralException(Reason.MALFORMED, "document is not valid JSON", e);
    }
  }

  private static void checkSize(byte[] doc) throws CollateralException {
    if (doc.length > MAX_DOCUMENT_SIZE) {
      throw new CollateralException(
          Reason.MALFORMED, "document of " + doc.length + " bytes exceeds " + MAX_DOCUMENT_SIZE);
    }
  }

  private static Bytes signature(String hex) throws CollateralException {
    Bytes sig = hexField(hex, "signature");
    if (sig.size() != 64) {
      throw new CollateralException(
          Reason.MALFORMED, "signature must be 64 bytes (r||s), found " + sig.size());
    }
    return sig;
  }

  static TcbInfo parseTcbInfoJson(JsonNode n) throws CollateralException {
    requireObject(n, "tcbInfo");
    TdxModuleIdentity module = null;
    if (n.has("tdxModule")) {
      JsonNode m = n.get("tdxModule");
      module = new TdxModuleIdentity("", hex(m, "mrsigner"), hex(m, "attributes"),
          hex(m, "attributesMask"), List.of());
    }
    List<TdxModuleIdentity> identities = new ArrayList<>();
    for (JsonNode m : array(n, "tdxModuleIdentities", false)) {
      identities.add(new TdxModuleIdentity(text(m, "id"), hex(m, "mrsigner"),
          hex(m, "attributes"), hex(m, "attributesMask"), enclaveLevels(m)));
    }
    List<TcbLevel> levels = new ArrayList<>();
    for (JsonNode l : array(n, "tcbLevels", true)) {
      JsonNode tcb = object(l, "tcb");
      levels.add(new TcbLevel(components(tcb, "sgxtcbcomponents"), integer(tcb, "pcesvn"),
          tcb.has("tdxtcbcomponents") ? components(tcb, "tdxtcbcomponents") : List.of(),
          instant(l, "tcbDate"), status(l), advisories(l)));
    }
    return new TcbInfo(text(n, "id"), integer(n, "version"), instant(n, "issueDate"),
        instant(n, "nextUpdate"), hex(n, "fmspc"), hex(n, "pceId"),
        n.has("tcbType") ? integer(n, "tcbType") : 0, longValue(n, "tcbEvaluationDataNumber"),
        module, identities, levels);
  }

  static QeIdentity parseQeIdentityJson(JsonNode n) throws CollateralException {
    requireObject(n, "enclaveIdentity");
    return new QeIdentity(text(n, "id"), integer(n, "version"), instant(n, "issueDate"),
        instant(n, "nextUpdate"), longValue(n, "tcbEvaluationDataNumber"),
        hex(n, "miscselect"), hex(n, "miscselectMask"), hex(n, "attributes"),
        hex(n, "attributesMask"), hex(n, "mrsigner"), integer(n, "isvprodid"), enclaveLevels(n));
  }

  private static List<EnclaveTcbLevel> enclaveLevels(JsonNode n) throws CollateralException {
    List<EnclaveTcbLevel> out = new ArrayList<>();
    for (JsonNode l : array(n, "tcbLevels", true)) {
      out.add(new EnclaveTcbLevel(integer(object(l, "tcb"), "isvsvn"), instant(l, "tcbDate"),
          status(l), advisories(l)));
    }
    return out;
  }

  private static List<TcbComponent> components(JsonNode tcb, String name)
      throws CollateralException {
    List<TcbComponent> out = new ArrayList<>();
    for (JsonNode c : array(tcb, name, true)) {
      int svn = integer(c, "svn");
      if (svn > 255) {
        throw new CollateralException(Reason.MALFORMED, name + " svn " + svn + " exceeds 255");
      }
      out.add(new TcbComponent(svn, optionalText(c, "category"), optionalText(c, "type")));
    }
    return out;
  }

  private static TcbStatus status(JsonNode l) throws CollateralException {
    String s = text(l, "tcbStatus");
    return TcbStatus.fromJsonName(s).orElseThrow(
        () -> new CollateralException(Reason.MALFORMED, "unknown tcbStatus " + quoteShort(s)));
  }

  private static List<String> advisories(JsonNode l) throws CollateralException {
    List<String> out = new ArrayList<>();
    for (JsonNode a : array(l, "advisoryIDs", false)) {
      if (!a.isTextual()) {
        throw new CollateralException(Reason.MALFORMED, "advisoryIDs must hold strings");
      }
      out.add(a.asText());
    }
    return out;
  }

  private static void requireObject(JsonNode n, String name) throws CollateralException {
    if (n == null || !n.isObject()) {
      throw new CollateralException(Reason.MALFORMED, name + " must be a JSON object");
    }
  }

  private static JsonNode object(JsonNode n, String field) throws CollateralException {
    JsonNode v = n.get(field);
    requireObject(v, field);
    return v;
  }

  private static Iterable<JsonNode> array(JsonNode n, String field, boolean required)
      throws CollateralException {
    JsonNode v = n.get(field);
    if (v == null && !required) {
      return List.of();
    }
    if (v == null || !v.isArray()) {
      throw new CollateralException(Reason.MALFORMED, field + " must be an array");
    }
    return v;
  }

  private static String text(JsonNode n, String field) throws CollateralException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new CollateralException(Reason.MALFORMED, field + " must be a string");
    }
    return v.asText();
  }

  private static String optionalText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : "";
  }

  private static int integer(JsonNode n, String field) throws CollateralException {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
      throw new CollateralException(Reason.MALFORMED, field + " must be a non-negative integer");
    }
    return v.asInt();
  }

  private static long longValue(JsonNode n, String field) throws CollateralException {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new CollateralException(Reason.MALFORMED, field + " must be a non-negative integer");
    }
    return v.asLong();
  }

  private static Instant instant(JsonNode n, String field) throws CollateralException {
    String s = text(n, field);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new CollateralException(Reason.MALFORMED, field + " is not an RFC 3339 UTC time", e);
    }
  }

  private static Bytes hex(JsonNode n, String field) throws CollateralException {
    return hexField(text(n, field), field);
  }

  private static Bytes hexField(String value, String field) throws CollateralException {
    try {
      return Bytes.fromHex(value.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CollateralException(Reason.MALFORMED, field + " is not hex", e);
    }
  }

  private static String quoteShort(String s) {
    return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
  }

}
