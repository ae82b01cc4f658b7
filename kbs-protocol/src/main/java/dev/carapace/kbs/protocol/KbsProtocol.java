package dev.carapace.kbs.protocol;

import java.util.Set;
import java.util.regex.Pattern;

/** Constants of the KBS protocol as Trustee 0.4.0 and CoCo guests use them. */
public final class KbsProtocol {
  private KbsProtocol() {}

  /** The only protocol version a 0.4.0 KBS accepts (exact match). */
  public static final String VERSION = "0.4.0";
  /** Name of the session cookie set by {@code /auth}. */
  public static final String SESSION_COOKIE = "kbs-session-id";
  /** Path prefix of every KBS endpoint. */
  public static final String PREFIX = "/kbs/v0";
  public static final String AUTH_PATH = PREFIX + "/auth";
  public static final String ATTEST_PATH = PREFIX + "/attest";
  public static final String RESOURCE_PATH = PREFIX + "/resource";
  /** Bytes of randomness in a challenge nonce (sent as padded standard base64, 44 characters). */
  public static final int NONCE_BYTES = 32;
  /** Largest request body Trustee accepts by default. */
  public static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

  /** The TEE names of kbs-types' {@code Tee} (the {@code tee} of an auth request). */
  public static final Set<String> TEES = Set.of("tdx", "snp", "sgx", "az-snp-vtpm",
      "az-tdx-vtpm", "cca", "csv", "se", "tpm", "hygondcu", "nvidia", "sample", "sampledevice");

  /** One segment of a resource path: letters, digits, '_', '-', '.'; not starting with '.'. */
  public static final Pattern RESOURCE_SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");

  /** Whether {@code repository/type/tag} segments form a valid resource path. */
  public static boolean isValidResourcePath(String repository, String type, String tag) {
    return RESOURCE_SEGMENT.matcher(repository).matches()
        && RESOURCE_SEGMENT.matcher(type).matches()
        && RESOURCE_SEGMENT.matcher(tag).matches()
        && repository.length() <= 128 && type.length() <= 128 && tag.length() <= 128;
  }
}
