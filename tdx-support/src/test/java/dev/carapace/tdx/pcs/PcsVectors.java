package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Recorded PCS responses from go-tdx-guest and the dcap-qvl bundle (test resources). */
final class PcsVectors {
  static final String GTG = "/vectors/go-tdx-guest/";
  static final String TCB_INFO = GTG + "sample_tcbInfo_response";
  static final String TCB_INFO_V5 = GTG + "sample_tcbinfo_response_v5";
  static final String QE_IDENTITY = GTG + "sample_qeIdentity_response";
  static final String PCK_CRL = GTG + "pckcrl";
  static final String ROOT_CRL = GTG + "rootcrl.der";
  static final String PCK_CRL_CHAIN = GTG + "pck_crl_issuer_chain.pem";
  static final String TCB_INFO_CHAIN = GTG + "tcb_info_issuer_chain.pem";
  static final String DCAP_QVL_BUNDLE = "/vectors/dcap-qvl/tdx_quote_collateral.json";

  /** FMSPC of the go-tdx-guest SPR E4 quote and of {@link #TCB_INFO}. */
  static final Bytes FMSPC = Bytes.fromHex("50806f000000");
  static final Bytes FMSPC_V5 = Bytes.fromHex("90c06f000000");

  private PcsVectors() {}

  static byte[] bytes(String resource) {
    try (InputStream in = PcsVectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String resource) {
    return new String(bytes(resource), StandardCharsets.UTF_8);
  }

  /** A PEM chain encoded as PCS encodes issuer-chain headers: %20, %0A, %2B, %2F, %3D. */
  static String pcsHeader(String pem) {
    return URLEncoder.encode(pem, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
