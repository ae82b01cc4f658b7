package dev.carapace.guest.attester;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import java.util.Base64;
import java.util.Objects;

/**
 * Trustee's {@code sample} TEE, as CoCo's sample attester: {@code {"svn": "1", "report_data":
 * "<standard base64 of the report data>"}}, the runtime-data digest unpadded. Proves nothing; a
 * broker accepts it only in development mode. Thread-safe.
 */
public final class SampleAttester implements Attester {
  private final String svn;

  /** svn {@code "1"}, as CoCo's. */
  public SampleAttester() {
    this("1");
  }

  public SampleAttester(String svn) {
    this.svn = Objects.requireNonNull(svn, "svn");
  }

  @Override
  public String tee() {
    return "sample";
  }

  @Override
  public ObjectNode evidence(Bytes reportData) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("svn", svn);
    o.put("report_data", Base64.getEncoder().encodeToString(reportData.toByteArray()));
    return o;
  }

  /** The digest unchanged: the sample verifier compares it exactly. */
  @Override
  public Bytes reportData(Bytes runtimeDataDigest) {
    return runtimeDataDigest;
  }

  @Override
  public String toString() {
    return "SampleAttester[svn=" + svn + "]";
  }
}
