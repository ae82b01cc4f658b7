package dev.carapace.tdx.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.PckCertExtensions;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The Intel SGX extension (OID 1.2.840.113741.1.13.1) of a simulated PCK certificate, laid out as
 * on Intel's platform-CA PCK certificates: PPID, TCB (16 component SVNs, PCESVN, CPUSVN), PCE-ID,
 * FMSPC, SGX type 1 (scalable), PlatformInstanceID and Configuration.
 */
final class SgxExtension {
  static final ASN1ObjectIdentifier OID =
      new ASN1ObjectIdentifier(PckCertExtensions.SGX_EXTENSION_OID);
  private static final int SGX_TYPE_SCALABLE = 1;

  private SgxExtension() {}

  static Extension of(SimulatedPlatform p, Bytes ppid, Bytes platformInstanceId)
      throws IOException {
    ASN1EncodableVector tcb = new ASN1EncodableVector();
    for (int i = 0; i < 16; i++) {
      tcb.add(entry(".2." + (i + 1), new ASN1Integer(p.sgxTcbComponents().get(i))));
    }
    tcb.add(entry(".2.17", new ASN1Integer(p.pceSvn())));
    tcb.add(entry(".2.18", octets(p.cpuSvn())));
    ASN1EncodableVector config = new ASN1EncodableVector();
    config.add(entry(".7.1", ASN1Boolean.FALSE)); // dynamicPlatform
    config.add(entry(".7.2", ASN1Boolean.TRUE)); // cachedKeys
    config.add(entry(".7.3", ASN1Boolean.TRUE)); // SMTEnabled
    ASN1EncodableVector top = new ASN1EncodableVector();
    top.add(entry(".1", octets(ppid)));
    top.add(entry(".2", new DERSequence(tcb)));
    top.add(entry(".3", octets(p.pceId())));
    top.add(entry(".4", octets(p.fmspc())));
    top.add(entry(".5", new ASN1Enumerated(SGX_TYPE_SCALABLE)));
    top.add(entry(".6", octets(platformInstanceId)));
    top.add(entry(".7", new DERSequence(config)));
    return new Extension(OID, false, new DERSequence(top).getEncoded(ASN1Encoding.DER));
  }

  private static DERSequence entry(String suffix, ASN1Encodable value) {
    return new DERSequence(new ASN1Encodable[] {OID.branch(suffix.substring(1)), value});
  }

  private static DEROctetString octets(Bytes b) {
    return new DEROctetString(b.toByteArray());
  }
}
