package dev.carapace.guest.kbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.attester.Attester;
import dev.carapace.guest.attester.AttesterException;
import dev.carapace.guest.kbs.KbsClientException.Reason;
import dev.carapace.guest.kbs.KbsHttp.Answer;
import dev.carapace.guest.key.TeeKeyAlgorithm;
import dev.carapace.guest.key.TeeKeyPair;
import dev.carapace.kbs.protocol.ErrorInformation;
import dev.carapace.kbs.protocol.JweResponse;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocol;
import dev.carapace.kbs.protocol.KbsProtocolException;
import dev.carapace.kbs.protocol.Messages;
import dev.carapace.kbs.protocol.Messages.InitData;
import dev.carapace.kbs.protocol.RuntimeDataBinding;
import dev.carapace.kbs.protocol.RuntimeDataBinding.HashAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A KBS protocol 0.4.0 client, as CoCo's {@code kbs_protocol} crate: attests with an
 * {@link Attester} and a {@link TeeKeyPair}, then fetches resources and decrypts them.
 *
 * <pre>{@code
 * KbsClient client = KbsClient.builder(URI.create("https://kbs.example:8080"))
 *     .attester(attester).keyPair(keyPair).clock(clock).random(random).provider(provider)
 *     .build();
 * Resource r = client.getResource("default/key/model");
 * }</pre>
 *
 * <p><b>Modes.</b> In {@link Mode#COOKIE} (background check, CoCo's {@code kbs-client}) resource
 * requests carry the {@code kbs-session-id} cookie of the attested session. In {@link Mode#TOKEN}
 * (passport, CoCo's Confidential Data Hub) they carry {@code Authorization: Bearer <token>} and no
 * cookie; {@link #attestationToken()} hands out the token.
 *
 * <p><b>Retries</b> (CoCo's): the RCAR handshake ({@code /auth} + {@code /attest}) is tried up to
 * {@value #RCAR_MAX_ATTEMPTS} times with {@link Builder#retryPause} between tries, except on a
 * protocol version mismatch, which no retry can fix. A resource GET is tried up to
 * {@value #RESOURCE_MAX_ATTEMPTS} times: a 401 body must be the KBS error JSON (else
 * MALFORMED_RESPONSE at once) and triggers a new handshake; 404 is RESOURCE_NOT_FOUND at once;
 * any other status is KBS_INTERNAL_ERROR. A token whose {@code exp} has passed by the injected
 * clock is replaced by a new handshake before it is used.
 *
 * <p>Thread-safe: calls are serialized on this client. Tokens, keys and secrets are never logged
 * or put in exception messages.
 */
public final class KbsClient {
  public static final int RCAR_MAX_ATTEMPTS = 5;
  public static final int RESOURCE_MAX_ATTEMPTS = 3;
  /** Hash algorithms this client can bind runtime data with (CoCo also offers sm3). */
  static final String[] SUPPORTED_HASHES = {"sha256", "sha384", "sha512"};

  /** How resource requests are authorized. */
  public enum Mode {
    /** Session cookie of the attested RCAR session. */
    COOKIE,
    /** {@code Authorization: Bearer} with the attestation token, no cookie. */
    TOKEN
  }

  private final KbsHttp http;
  private final Attester attester;
  private final TeeKeyPair keyPair;
  private final Clock clock;
  private final Mode mode;
  private final @Nullable InitData initData;
  private final Duration retryPause;
  private final Sleeper sleeper;

  private @Nullable AttestationToken token;
  private @Nullable String session;

  private KbsClient(Builder b, KbsHttp http, TeeKeyPair keyPair) {
    this.http = http;
    this.attester = Objects.requireNonNull(b.attester, "attester");
    this.keyPair = keyPair;
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.mode = b.mode;
    this.initData = b.initData;
    this.retryPause = b.retryPause;
    this.sleeper = b.sleeper;
  }

  public static Builder builder(URI kbs) {
    return new Builder(kbs);
  }

  /**
   * The resource at {@code path} ({@code repository/type/tag}, or {@code kbs:///repository/type/
   * tag}), attesting first when there is no valid token.
   */
  public synchronized Resource getResource(String path) throws KbsClientException {
    String p = resourcePath(path);
    ErrorInformation last = null;
    for (int attempt = 1; attempt <= RESOURCE_MAX_ATTEMPTS; attempt++) {
      AttestationToken t = validToken();
      Answer a = mode == Mode.TOKEN
          ? http.get(KbsProtocol.RESOURCE_PATH + "/" + p, null, t.value())
          : http.get(KbsProtocol.RESOURCE_PATH + "/" + p, session, null);
      switch (a.status()) {
        case 200 -> {
          return new Resource(p, decrypt(a.body()), t.expiry().orElse(null));
        }
        case 401 -> {
          last = error(a, "resource");
          token = null; // re-attest (cookie mode) or fetch a new token (token mode)
          session = null;
        }
        case 404 -> {
          ErrorInformation e = errorOrNull(a.body());
          throw new KbsClientException(Reason.RESOURCE_NOT_FOUND, "the KBS has no resource " + p
              + (e == null ? "" : ": " + e.detail()), e, null);
        }
        default -> {
          ErrorInformation e = error(a, "resource");
          throw new KbsClientException(Reason.KBS_INTERNAL_ERROR, "the KBS answered "
              + a.status() + " for resource " + p + ": " + e.detail(), e, null);
        }
      }
    }
    ErrorInformation e = Objects.requireNonNull(last);
    Reason r = "PolicyDeny".equals(e.name()) ? Reason.POLICY_DENIED : Reason.UNAUTHORIZED;
    throw new KbsClientException(r, "resource " + p + " still unauthorized after "
        + RESOURCE_MAX_ATTEMPTS + " attempts: " + e.name() + ": " + e.detail(), e, null);
  }

  /** The current attestation token, attesting first when there is none or it has expired. */
  public synchronized AttestationToken attestationToken() throws KbsClientException {
    return validToken();
  }

  /** The TEE public key this client binds into its evidence. */
  public TeeKeyPair keyPair() {
    return keyPair;
  }

  private AttestationToken validToken() throws KbsClientException {
    AttestationToken t = token;
    if (t == null || t.isExpiredAt(clock.instant())) {
      t = rcar();
      token = t;
    }
    return t;
  }

  /** The RCAR handshake with CoCo's retries. */
  private AttestationToken rcar() throws KbsClientException {
    KbsClientException failure = null;
    for (int attempt = 1; attempt <= RCAR_MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        pause();
      }
      try {
        return handshake();
      } catch (KbsClientException e) {
        if (e.reason() == Reason.PROTOCOL_VERSION_MISMATCH) {
          throw e;
        }
        failure = e;
      }
    }
    KbsClientException e = Objects.requireNonNull(failure);
    throw new KbsClientException(e.reason(), "RCAR handshake failed " + RCAR_MAX_ATTEMPTS
        + " times; last: " + e.getMessage(), e.errorInformation().orElse(null), e);
  }

  private AttestationToken handshake() throws KbsClientException {
    session = null;
    ObjectNode extra = KbsJson.object();
    var hashes = extra.putArray("supported-hash-algorithms");
    for (String h : SUPPORTED_HASHES) {
      hashes.add(h);
    }
    Messages.AuthRequest auth = new Messages.AuthRequest(KbsProtocol.VERSION, attester.tee(),
        extra);
    Answer a = http.post(KbsProtocol.AUTH_PATH, json(auth.toJson()), null);
    if (a.status() != 200) {
      throw refused(a, "auth");
    }
    Messages.Challenge challenge;
    try {
      challenge = Messages.Challenge.read(a.body());
    } catch (KbsProtocolException e) {
      throw malformed("auth", e);
    }
    String cookie = a.sessionCookie();
    if (cookie == null) {
      throw new KbsClientException(Reason.MALFORMED_RESPONSE,
          "the KBS set no " + KbsProtocol.SESSION_COOKIE + " cookie in its challenge");
    }
    HashAlgorithm hash = hashAlgorithm(challenge.extraParams());
    Bytes digest = RuntimeDataBinding.digest(keyPair.teePublicKey(), challenge.nonce(), "", hash);
    JsonNode evidence;
    try {
      evidence = attester.evidence(attester.reportData(digest));
    } catch (AttesterException e) {
      throw new KbsClientException(Reason.ATTESTER_FAILED, "the " + attester.tee()
          + " attester failed (" + e.reason() + "): " + e.getMessage(), null, e);
    }
    Messages.Attestation attestation = new Messages.Attestation(initData, challenge.nonce(),
        keyPair.teePublicKey(), evidence, "");
    Answer r = http.post(KbsProtocol.ATTEST_PATH, json(attestation.toJson()), cookie);
    if (r.status() != 200) {
      throw refused(r, "attest");
    }
    String tokenText;
    try {
      tokenText = Messages.AttestationToken.read(r.body()).token();
    } catch (KbsProtocolException e) {
      throw malformed("attest", e);
    }
    AttestationToken t;
    try {
      t = AttestationToken.parse(tokenText);
    } catch (IllegalArgumentException e) {
      throw new KbsClientException(Reason.MALFORMED_RESPONSE, e.getMessage(), null, e);
    }
    session = r.sessionCookie() != null ? r.sessionCookie() : cookie;
    return t;
  }

  private Bytes decrypt(byte[] body) throws KbsClientException {
    JweResponse jwe;
    try {
      jwe = JweResponse.read(body);
    } catch (KbsProtocolException e) {
      throw malformed("resource", e);
    }
    try {
      return keyPair.decrypt(jwe);
    } catch (KbsProtocolException e) {
      throw new KbsClientException(Reason.DECRYPTION_FAILED,
          "the resource does not decrypt with the TEE key (" + e.reason() + ")", null, e);
    }
  }

  private static HashAlgorithm hashAlgorithm(JsonNode extraParams) throws KbsClientException {
    JsonNode selected = extraParams.isObject() ? extraParams.get("selected-hash-algorithm") : null;
    if (selected == null || selected.isNull()) {
      return HashAlgorithm.SHA384;
    }
    return HashAlgorithm.fromWireName(selected.asText()).orElseThrow(() ->
        new KbsClientException(Reason.MALFORMED_RESPONSE, "the KBS selected hash algorithm "
            + selected.asText() + ", which this client did not offer"));
  }

  private static KbsClientException refused(Answer a, String step) throws KbsClientException {
    ErrorInformation e = error(a, step);
    if (e.detail().toLowerCase(Locale.ROOT).contains("protocol version mismatch")) {
      return new KbsClientException(Reason.PROTOCOL_VERSION_MISMATCH, "the KBS does not speak "
          + "protocol " + KbsProtocol.VERSION + ": " + e.detail(), e, null);
    }
    return new KbsClientException(Reason.ATTESTATION_REFUSED, "/" + step + " answered "
        + a.status() + " " + e.name() + ": " + e.detail(), e, null);
  }

  /** The error body of a non-200 answer; MALFORMED_RESPONSE when it is not the error JSON. */
  private static ErrorInformation error(Answer a, String step) throws KbsClientException {
    try {
      return Messages.readError(a.body());
    } catch (KbsProtocolException e) {
      throw new KbsClientException(Reason.MALFORMED_RESPONSE, "the KBS answered " + a.status()
          + " to " + step + " without an error body {type, detail}", null, e);
    }
  }

  private static @Nullable ErrorInformation errorOrNull(byte[] body) {
    try {
      return Messages.readError(body);
    } catch (KbsProtocolException e) {
      return null;
    }
  }

  private static KbsClientException malformed(String step, KbsProtocolException e) {
    return new KbsClientException(Reason.MALFORMED_RESPONSE, "the KBS " + step
        + " response is malformed (" + e.reason() + ")", null, e);
  }

  private void pause() throws KbsClientException {
    try {
      sleeper.sleep(retryPause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KbsClientException(Reason.TRANSPORT, "interrupted between RCAR attempts", null,
          e);
    }
  }

  private static byte[] json(JsonNode n) {
    return KbsJson.write(n).getBytes(StandardCharsets.UTF_8);
  }

  static String resourcePath(String path) {
    String p = path.startsWith("kbs:///") ? path.substring("kbs:///".length()) : path;
    String[] s = p.split("/", -1);
    if (s.length != 3 || !KbsProtocol.isValidResourcePath(s[0], s[1], s[2])) {
      throw new IllegalArgumentException("a resource path is repository/type/tag, got " + path);
    }
    return p;
  }

  @Override
  public String toString() {
    return "KbsClient[" + http.base() + ", " + attester.tee() + ", " + mode + "]";
  }

  /** Configures a client; not thread-safe. {@link #build()} checks the settings. */
  public static final class Builder {
    private final URI kbs;
    private @Nullable Attester attester;
    private @Nullable TeeKeyPair keyPair;
    private @Nullable Clock clock;
    private @Nullable SecureRandom random;
    private @Nullable Provider provider;
    private @Nullable HttpClient httpClient;
    private Mode mode = Mode.COOKIE;
    private @Nullable InitData initData;
    private Duration timeout = Duration.ofSeconds(60);
    private int maxResponseBytes = 16 << 20;
    private Duration retryPause = Duration.ofSeconds(1);
    private Sleeper sleeper = Sleeper.THREAD;

    private Builder(URI kbs) {
      this.kbs = Objects.requireNonNull(kbs, "kbs");
      String scheme = kbs.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("the KBS URI must be http or https, got " + kbs);
      }
    }

    /** The evidence source (required). */
    public Builder attester(Attester v) {
      attester = Objects.requireNonNull(v, "attester");
      return this;
    }

    /** The TEE key; without one, {@link #build()} generates an EC P-256 key. */
    public Builder keyPair(TeeKeyPair v) {
      keyPair = Objects.requireNonNull(v, "keyPair");
      return this;
    }

    /** Time for token expiry checks (required). */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /** Randomness for generating the key pair (required when no key pair is given). */
    public Builder random(SecureRandom v) {
      random = Objects.requireNonNull(v, "random");
      return this;
    }

    /** JCA provider for generating the key pair (required when no key pair is given). */
    public Builder provider(Provider v) {
      provider = Objects.requireNonNull(v, "provider");
      return this;
    }

    /** The HTTP client (TLS trust, proxy); default: a new one without cookie store or redirects. */
    public Builder httpClient(HttpClient v) {
      httpClient = Objects.requireNonNull(v, "httpClient");
      return this;
    }

    public Builder mode(Mode v) {
      mode = Objects.requireNonNull(v, "mode");
      return this;
    }

    /** Sends {@code toml} verbatim as {@code init-data} ({@code format "toml"}) at every attest. */
    public Builder initData(String toml) {
      initData = new InitData("toml", Objects.requireNonNull(toml, "toml"));
      return this;
    }

    /** Timeout of each HTTP request (default 60 s, as CoCo). */
    public Builder timeout(Duration v) {
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      timeout = v;
      return this;
    }

    /** Largest response body accepted (default 16 MiB). */
    public Builder maxResponseBytes(int v) {
      if (v < 1024) {
        throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
      }
      maxResponseBytes = v;
      return this;
    }

    /** Pause between RCAR attempts (default 1 s, as CoCo). */
    public Builder retryPause(Duration v) {
      if (v.isNegative()) {
        throw new IllegalArgumentException("retryPause must not be negative");
      }
      retryPause = v;
      return this;
    }

    /** How to pause between attempts (default {@link Sleeper#THREAD}). */
    public Builder sleeper(Sleeper v) {
      sleeper = Objects.requireNonNull(v, "sleeper");
      return this;
    }

    /**
     * @throws IllegalStateException if attester or clock is missing, or no key pair is given and
     *     random or provider is missing
     * @throws GeneralSecurityException if generating the key pair fails
     */
    public KbsClient build() throws GeneralSecurityException {
      if (attester == null || clock == null) {
        throw new IllegalStateException("a KBS client needs an attester and a clock");
      }
      TeeKeyPair k = keyPair;
      if (k == null) {
        if (random == null || provider == null) {
          throw new IllegalStateException("without a key pair, random and provider are needed");
        }
        k = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P256, random, provider);
      }
      HttpClient h = httpClient != null ? httpClient : HttpClient.newBuilder()
          .connectTimeout(timeout)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
      return new KbsClient(this, new KbsHttp(h, kbs, timeout, maxResponseBytes), k);
    }
  }
}
