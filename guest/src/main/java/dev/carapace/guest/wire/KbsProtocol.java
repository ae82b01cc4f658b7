package dev.carapace.guest.wire;

/** Constants of KBS protocol 0.4.0 (Trustee {@code kbs/docs/kbs_attestation_protocol.md}). */
public final class KbsProtocol {
  /** The only protocol version Trustee 0.14+ accepts (exact match). */
  public static final String VERSION = "0.4.0";
  /** Session cookie set by {@code /auth} and required by {@code /attest}. */
  public static final String SESSION_COOKIE = "kbs-session-id";
  public static final String AUTH_PATH = "/kbs/v0/auth";
  public static final String ATTEST_PATH = "/kbs/v0/attest";
  public static final String RESOURCE_PATH = "/kbs/v0/resource/";

  private KbsProtocol() {}
}
