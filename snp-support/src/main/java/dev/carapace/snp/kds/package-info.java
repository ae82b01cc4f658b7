/**
 * AMD Key Distribution Service (KDS) certificates for SEV-SNP: the VCEK of a chip at a TCB, the
 * ASK/ASVK + ARK chains and the CRLs, obtained from the KDS over HTTP ({@link
 * dev.carapace.snp.kds.KdsClient}), from an offline directory ({@link
 * dev.carapace.snp.kds.DirectoryKdsSource}) or from the certificate table that comes with an
 * extended report ({@link dev.carapace.snp.kds.CertificateTableSource}). Certificates are parsed,
 * not verified: signatures, issuers, validity and the VCEK's hwID/TCB extensions are the
 * verifier's. Nothing here touches the network unless a {@code KdsClient} is built and called.
 */
@NullMarked
package dev.carapace.snp.kds;

import org.jspecify.annotations.NullMarked;
