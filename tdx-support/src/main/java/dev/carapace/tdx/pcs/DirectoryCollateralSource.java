package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Reads collateral from a directory of files laid out like PCS responses:
 *
 * <pre>
 * tcb_info_&lt;fmspc&gt;.json          PCS TCB Info response body {"tcbInfo":{...},"signature":..};
 *                                 fmspc in lower-case hex, e.g. tcb_info_50806f000000.json
 * tcb_info.json                   the same, used when no FMSPC-specific file exists
 * tcb_info_issuer_chain.pem       header TCB-Info-Issuer-Chain, URL-decoded (PEM)
 * qe_identity.json                PCS QE Identity response body {"enclaveIdentity":{...},...}
 * qe_identity_issuer_chain.pem    header SGX-Enclave-Identity-Issuer-Chain, URL-decoded (PEM)
 * pck_crl_&lt;ca&gt;.der               PCK CRL of that CA, ca = platform | processor
 * pck_crl.der                     the PCK CRL, used when no CA-specific file exists
 * pck_crl_issuer_chain_&lt;ca&gt;.pem  header SGX-PCK-CRL-Issuer-Chain for that CA (PEM)
 * pck_crl_issuer_chain.pem        the same, used when no CA-specific file exists
 * root_ca_crl.der                 Intel SGX Root CA CRL
 * </pre>
 *
 * <p>CRL files may hold DER, PEM or hex (as PCCS serves it) whatever their extension. Files are
 * read on every call, so the directory can be refreshed in place (replace files atomically, e.g.
 * by rename); each file is capped at {@link CollateralDocuments#MAX_DOCUMENT_SIZE}. A missing
 * file is {@link Reason#NOT_FOUND}, an unparsable one {@link Reason#MALFORMED}, a read error
 * {@link Reason#UNAVAILABLE}; messages name the file. Documents are parsed, not verified; the
 * verifier checks signatures, issuers and that the TCB Info is for the quote's FMSPC.
 * Thread-safe (immutable).
 */
public final class DirectoryCollateralSource implements CollateralSource {
  public static final String TCB_INFO = "tcb_info.json";
  public static final String TCB_INFO_ISSUER_CHAIN = "tcb_info_issuer_chain.pem";
  public static final String QE_IDENTITY = "qe_identity.json";
  public static final String QE_IDENTITY_ISSUER_CHAIN = "qe_identity_issuer_chain.pem";
  public static final String PCK_CRL = "pck_crl.der";
  public static final String PCK_CRL_ISSUER_CHAIN = "pck_crl_issuer_chain.pem";
  public static final String ROOT_CA_CRL = "root_ca_crl.der";

  private final Path directory;

  public DirectoryCollateralSource(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  public Path directory() {
    return directory;
  }

  /** {@code tcb_info_<fmspc lower hex>.json}. */
  public static String tcbInfoFileName(Bytes fmspc) {
    return "tcb_info_" + fmspc.toHex() + ".json";
  }

  /** {@code pck_crl_<platform|processor>.der}. */
  public static String pckCrlFileName(PckCa ca) {
    return "pck_crl_" + ca.queryValue() + ".der";
  }

  /** {@code pck_crl_issuer_chain_<platform|processor>.pem}. */
  public static String pckCrlIssuerChainFileName(PckCa ca) {
    return "pck_crl_issuer_chain_" + ca.queryValue() + ".pem";
  }

  @Override
  public Collateral collateralFor(Bytes fmspc, PckCa ca) throws CollateralException {
    String tcbName = preferred(tcbInfoFileName(fmspc), TCB_INFO);
    String crlName = preferred(pckCrlFileName(ca), PCK_CRL);
    String crlChainName = preferred(pckCrlIssuerChainFileName(ca), PCK_CRL_ISSUER_CHAIN);
    return new Collateral(
        chain(crlChainName),
        parse(ROOT_CA_CRL, CollateralDocuments::parseCrl),
        parse(crlName, CollateralDocuments::parseCrl),
        chain(TCB_INFO_ISSUER_CHAIN),
        parse(tcbName, CollateralDocuments::parseTcbInfoResponse),
        chain(QE_IDENTITY_ISSUER_CHAIN),
        parse(QE_IDENTITY, CollateralDocuments::parseQeIdentityResponse));
  }

  private String preferred(String specific, String general) {
    return Files.exists(directory.resolve(specific)) ? specific : general;
  }

  private interface Parser<T> {
    T parse(byte[] data) throws CollateralException;
  }

  private <T> T parse(String name, Parser<T> parser) throws CollateralException {
    byte[] data = CollateralFiles.read(directory.resolve(name));
    try {
      return parser.parse(data);
    } catch (CollateralException e) {
      throw CollateralFiles.naming(directory.resolve(name), e);
    }
  }

  private List<X509Certificate> chain(String name) throws CollateralException {
    return parse(name,
        data -> CollateralDocuments.parseCertificateChain(
            new String(data, StandardCharsets.US_ASCII)));
  }

  @Override
  public String toString() {
    return "DirectoryCollateralSource[" + directory + "]";
  }
}
