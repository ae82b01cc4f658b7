package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.jspecify.annotations.Nullable;

/**
 * The Intel SGX extension (OID 1.2.840.113741.1.13.1) of a PCK certificate.
 *
 * @param ppid platform provisioning ID (16 bytes)
 * @param sgxTcbComponents the 16 SGX TCB component SVNs (.2.1 .. .2.16)
 * @param pceSvn PCE security version (.2.17)
 * @param cpuSvn raw CPUSVN (16 bytes, .2.18)
 * @param pceId PCE ID (2 bytes)
 * @param fmspc family-model-stepping-platform-custom-SKU (6 bytes)
 * @param sgxType 0 standard, 1 scalable, 2 scalable with integrity
 * @param platformInstanceId present on Platform-CA certificates, else null
 */
public record PckCertExtensions(
    Bytes ppid,
    List<Integer> sgxTcbComponents,
    int pceSvn,
    Bytes cpuSvn,
    Bytes pceId,
    Bytes fmspc,
    int sgxType,
    @Nullable Bytes platformInstanceId) {

  public static final String SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";
  /** Largest SGX extension accepted; real ones are about 550 bytes. */
  static final int MAX_EXTENSION_SIZE = 8192;

  public PckCertExtensions {
    Objects.requireNonNull(ppid, "ppid");
    sgxTcbComponents = List.copyOf(sgxTcbComponents);
    if (sgxTcbComponents.size() != 16) {
      throw new IllegalArgumentException("16 SGX TCB components required");
    }
    Objects.requireNonNull(cpuSvn, "cpuSvn");
    Objects.requireNonNull(pceId, "pceId");
    Objects.requireNonNull(fmspc, "fmspc");
  }

  /** Reads the SGX extension of a PCK certificate. */
  public static PckCertExtensions of(X509Certificate pck) throws CollateralException {
    byte[] ext = pck.getExtensionValue(SGX_EXTENSION_OID);
    if (ext == null) {
      throw new CollateralException(Reason.MALFORMED, "PCK certificate has no SGX extension");
    }
    return parse(ext);
  }

  /** Parses the DER OCTET STRING wrapping the SGX extension, as X509Certificate returns it. */
  public static PckCertExtensions parse(byte[] extensionValue) throws CollateralException {
    if (extensionValue.length > MAX_EXTENSION_SIZE) {
      throw new CollateralException(Reason.MALFORMED, "SGX extension is too large");
    }
    try {
      ASN1Primitive outer = ASN1Primitive.fromByteArray(extensionValue);
      ASN1Primitive inner = outer instanceof ASN1OctetString os
          ? ASN1Primitive.fromByteArray(os.getOctets()) : outer;
      Map<String, ASN1Encodable> top = entries(inner, "SGX extension");
      Map<String, ASN1Encodable> tcb = entries(required(top, ".2", "TCB").toASN1Primitive(), "TCB");
      List<Integer> comps = new ArrayList<>(16);
      for (int i = 1; i <= 16; i++) {
        comps.add(smallInt(required(tcb, ".2." + i, "TCB component " + i), 255));
      }
      ASN1Encodable instance = top.get(".6");
      return new PckCertExtensions(
          octets(required(top, ".1", "PPID"), 16, "PPID"),
          comps,
          smallInt(required(tcb, ".2.17", "PCESVN"), 0xffff),
          octets(required(tcb, ".2.18", "CPUSVN"), 16, "CPUSVN"),
          octets(required(top, ".3", "PCE-ID"), 2, "PCE-ID"),
          octets(required(top, ".4", "FMSPC"), 6, "FMSPC"),
          smallInt(required(top, ".5", "SGX type"), 255),
          instance == null ? null : octets(instance, 16, "PlatformInstanceID"));
    } catch (IOException | IllegalArgumentException | IllegalStateException
        | ClassCastException e) {
      // BouncyCastle reports some malformed encodings (e.g. a BIT STRING with more than 7 pad
      // bits) as ASN1ParsingException, an IllegalStateException.
      throw new CollateralException(Reason.MALFORMED, "SGX extension is not valid DER", e);
    }
  }

  /** SEQUENCE OF SEQUENCE {OID, value}; keys are OID suffixes relative to the SGX OID. */
  private static Map<String, ASN1Encodable> entries(ASN1Primitive p, String what)
      throws CollateralException {
    if (!(p instanceof ASN1Sequence seq)) {
      throw new CollateralException(Reason.MALFORMED, what + " must be a SEQUENCE");
    }
    Map<String, ASN1Encodable> out = new HashMap<>();
    for (ASN1Encodable e : seq) {
      if (!(e.toASN1Primitive() instanceof ASN1Sequence pair) || pair.size() != 2
          || !(pair.getObjectAt(0) instanceof ASN1ObjectIdentifier oid)) {
        throw new CollateralException(Reason.MALFORMED, what + " entry must be {OID, value}");
      }
      String id = oid.getId();
      if (!id.startsWith(SGX_EXTENSION_OID + ".")) {
        continue;
      }
      out.put(id.substring(SGX_EXTENSION_OID.length()), pair.getObjectAt(1));
    }
    return out;
  }

  private static ASN1Encodable required(Map<String, ASN1Encodable> m, String key, String name)
      throws CollateralException {
    ASN1Encodable v = m.get(key);
    if (v == null) {
      throw new CollateralException(Reason.MALFORMED, "SGX extension lacks " + name);
    }
    return v;
  }

  private static Bytes octets(ASN1Encodable e, int size, String name) throws CollateralException {
    if (!(e.toASN1Primitive() instanceof ASN1OctetString os) || os.getOctets().length != size) {
      throw new CollateralException(Reason.MALFORMED, name + " must be " + size + " octets");
    }
    return Bytes.copyOf(os.getOctets());
  }

  private static int smallInt(ASN1Encodable e, int max) throws CollateralException {
    ASN1Primitive p = e.toASN1Primitive();
    BigInteger v;
    if (p instanceof ASN1Integer i) {
      v = i.getValue();
    } else if (p instanceof ASN1Enumerated en) {
      v = en.getValue();
    } else {
      throw new CollateralException(Reason.MALFORMED, "expected INTEGER in SGX extension");
    }
    if (v.signum() < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new CollateralException(Reason.MALFORMED, "SGX extension value out of range: " + v);
    }
    return v.intValueExact();
  }
}
