package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where the AMD certificates that endorse SEV-SNP reports come from: AMD KDS ({@link KdsClient}),
 * an offline directory ({@link DirectoryKdsSource}), the extended report's certificate table
 * ({@link CertificateTableSource}), or a combination ({@link KdsSources#firstAvailable}).
 *
 * <p>Implementations parse what they return but do not verify it: the verifier checks the chain
 * against pinned ARKs, validity, and that the VCEK's hwID and SPL extensions match the report.
 *
 * <p>There is deliberately no {@code vlek(...)} lookup: KDS hands VLEKs only to the cloud
 * provider, so a VLEK-signed report must bring its VLEK in the evidence (see {@link
 * CertificateTableSource#vlek()}); its ASVK + ARK chain and CRL are public and served here.
 *
 * <p>Implementations are thread-safe.
 */
public interface KdsCertificateSource {
  /**
   * The VCEK of the chip {@code chipId} at {@code reportedTcb} (the report's REPORTED_TCB).
   *
   * @param chipId the report's 64-byte CHIP_ID; for Turin also just its 8 significant bytes
   * @throws IllegalArgumentException if {@code chipId} has the wrong size for {@code product}, or
   *     {@code reportedTcb} is for another product (see {@link VcekId#of})
   * @throws KdsException {@code NOT_FOUND} also when {@code chipId} is all zero (MASK_CHIP_ID):
   *     such a report cannot be matched to a VCEK
   */
  X509Certificate vcek(Product product, Bytes chipId, TcbVersion reportedTcb) throws KdsException;

  /**
   * The chain above the endorsement key, intermediate first: [ASK, ARK] for {@link
   * SignerKind#VCEK}, [ASVK, ARK] for {@link SignerKind#VLEK} (the order of KDS's
   * {@code cert_chain}).
   */
  List<X509Certificate> certChain(Product product, SignerKind kind) throws KdsException;

  /** The ARK-signed CRL for the ASK ({@code VCEK}) or ASVK ({@code VLEK}) of {@code product}. */
  X509CRL crl(Product product, SignerKind kind) throws KdsException;
}
