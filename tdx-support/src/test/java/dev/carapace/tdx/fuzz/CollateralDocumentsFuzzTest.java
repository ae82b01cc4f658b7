package dev.carapace.tdx.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.pcs.QeIdentity;
import dev.carapace.tdx.pcs.QuoteCollateralV3;
import dev.carapace.tdx.pcs.Signed;
import dev.carapace.tdx.pcs.TcbInfo;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;

/**
 * Fuzz tests for the collateral parsers: PCS TCB Info and QE Identity responses
 * ({@link CollateralDocuments}), the SGX extension of PCK certificates
 * ({@link PckCertExtensions}), CRLs, and the dcap-qvl QuoteCollateralV3 bundle
 * ({@link QuoteCollateralV3}).
 *
 * <p>Contract checked: each parser returns a value or throws {@link CollateralException} with
 * reason {@code MALFORMED}; any other exception is a finding. For signed JSON documents the signed
 * bytes are a slice of the input and parse, on their own, to the same value: the verifier checks
 * the signature over exactly the bytes whose meaning it then uses. A parsed bundle encodes to a
 * bundle that parses to an equal value.
 */
class CollateralDocumentsFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.PARSER)
  @DictionaryEntries({"\"tcbInfo\"", "\"signature\"", "\"tcbLevels\"", "\"tcb\"",
      "\"sgxtcbcomponents\"", "\"tdxtcbcomponents\"", "\"pcesvn\"", "\"svn\"", "\"tcbDate\"",
      "\"tcbStatus\"", "\"advisoryIDs\"", "\"tdxModule\"", "\"tdxModuleIdentities\"",
      "\"mrsigner\"", "\"attributes\"", "\"attributesMask\"", "\"isvsvn\"", "\"fmspc\"",
      "\"pceId\"", "\"tcbType\"", "\"tcbEvaluationDataNumber\"", "\"issueDate\"",
      "\"nextUpdate\"", "\"UpToDate\"", "\"2024-01-01T00:00:00Z\""})
  void tcbInfo(byte[] data) {
    Signed<TcbInfo> parsed;
    try {
      parsed = CollateralDocuments.parseTcbInfoResponse(data);
    } catch (CollateralException e) {
      assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED);
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("parseTcbInfoResponse threw an unchecked exception", e);
    }
    assertSignedSlice(data, parsed);
    Signed<TcbInfo> fromSignedBytes;
    try {
      fromSignedBytes = CollateralDocuments.tcbInfo(
          parsed.signedBody().toByteArray(), parsed.signature().toHex());
    } catch (CollateralException e) {
      throw new AssertionError("the signed TCB Info bytes do not parse on their own", e);
    }
    assertThat(fromSignedBytes.value())
        .as("TCB Info value must be the parse of the signed bytes")
        .isEqualTo(parsed.value());
  }

  @FuzzTest(maxDuration = FuzzBudget.PARSER)
  @DictionaryEntries({"\"enclaveIdentity\"", "\"signature\"", "\"id\"", "\"TD_QE\"",
      "\"version\"", "\"miscselect\"", "\"miscselectMask\"", "\"attributes\"",
      "\"attributesMask\"", "\"mrsigner\"", "\"isvprodid\"", "\"tcbLevels\"", "\"tcb\"",
      "\"isvsvn\"", "\"tcbDate\"", "\"tcbStatus\"", "\"advisoryIDs\"", "\"issueDate\"",
      "\"nextUpdate\"", "\"tcbEvaluationDataNumber\"", "\"UpToDate\""})
  void qeIdentity(byte[] data) {
    Signed<QeIdentity> parsed;
    try {
      parsed = CollateralDocuments.parseQeIdentityResponse(data);
    } catch (CollateralException e) {
      assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED);
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("parseQeIdentityResponse threw an unchecked exception", e);
    }
    assertSignedSlice(data, parsed);
    Signed<QeIdentity> fromSignedBytes;
    try {
      fromSignedBytes = CollateralDocuments.qeIdentity(
          parsed.signedBody().toByteArray(), parsed.signature().toHex());
    } catch (CollateralException e) {
      throw new AssertionError("the signed QE Identity bytes do not parse on their own", e);
    }
    assertThat(fromSignedBytes.value())
        .as("QE Identity value must be the parse of the signed bytes")
        .isEqualTo(parsed.value());
  }

  @FuzzTest(maxDuration = FuzzBudget.PARSER)
  void pckExtensions(byte[] data) {
    PckCertExtensions ext;
    try {
      ext = PckCertExtensions.parse(data);
    } catch (CollateralException e) {
      assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED);
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("PckCertExtensions.parse threw an unchecked exception", e);
    }
    assertThat(ext.ppid().size()).isEqualTo(16);
    assertThat(ext.cpuSvn().size()).isEqualTo(16);
    assertThat(ext.pceId().size()).isEqualTo(2);
    assertThat(ext.fmspc().size()).isEqualTo(6);
    assertThat(ext.sgxTcbComponents()).hasSize(16).allMatch(svn -> svn >= 0 && svn <= 255);
    assertThat(ext.pceSvn()).isBetween(0, 0xffff);
    assertThat(ext.sgxType()).isBetween(0, 255);
  }

  @FuzzTest(maxDuration = FuzzBudget.PARSER)
  void crl(byte[] data) {
    X509CRL crl;
    try {
      crl = CollateralDocuments.parseCrl(data);
    } catch (CollateralException e) {
      assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED);
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("parseCrl threw an unchecked exception", e);
    }
    // What the verifier reads from a CRL (Certificates.requireCrlCurrent / requireNotRevoked).
    assertThat(crl.getIssuerX500Principal()).isNotNull();
    assertThat(crl.getThisUpdate()).isNotNull();
    crl.getNextUpdate();
    crl.getRevokedCertificate(BigInteger.ONE);
    try {
      assertThat(CollateralDocuments.parseCrl(crl.getEncoded())).isEqualTo(crl);
    } catch (CollateralException | CRLException e) {
      throw new AssertionError("the encoding of a parsed CRL does not parse", e);
    }
  }

  @FuzzTest(maxDuration = FuzzBudget.PARSER)
  @DictionaryEntries({"\"pck_crl_issuer_chain\"", "\"root_ca_crl\"", "\"pck_crl\"",
      "\"tcb_info_issuer_chain\"", "\"tcb_info\"", "\"tcb_info_signature\"",
      "\"qe_identity_issuer_chain\"", "\"qe_identity\"", "\"qe_identity_signature\"",
      "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----", "\\n"})
  void bundle(byte[] data) {
    Collateral collateral;
    try {
      collateral = QuoteCollateralV3.parse(data);
    } catch (CollateralException e) {
      assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED);
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("QuoteCollateralV3.parse threw an unchecked exception", e);
    }
    collateral.earliestExpiry();
    Collateral reparsed;
    try {
      reparsed = QuoteCollateralV3.parse(QuoteCollateralV3.encode(collateral));
    } catch (CollateralException e) {
      throw new AssertionError("the encoding of a parsed bundle does not parse", e);
    }
    assertThat(reparsed).isEqualTo(collateral);
  }

  /** The signed body must be exactly the bytes of one slice of the response. */
  private static void assertSignedSlice(byte[] response, Signed<?> signed) {
    assertThat(signed.signature().size()).isEqualTo(64);
    assertThat(indexOf(response, signed.signedBody()))
        .as("signed body is a slice of the response")
        .isNotNegative();
  }

  private static int indexOf(byte[] haystack, Bytes needle) {
    byte[] n = needle.toByteArray();
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
