package dev.carapace.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The policies Carapace uses when none is configured, both with id {@code "default"} (Trustee's
 * default policy id). Each is compiled from a YAML document shipped in this module, which is the
 * single source of truth; {@link #appraisalDocument()} and {@link #resourceDocument()} return the
 * text, e.g. to seed a policy store or to show an operator.
 *
 * <p><b>Appraisal</b> ({@code dev/carapace/policy/defaults/appraisal.yaml}) is strict, with
 * Trustee's default EAR policy values: {@code hardware} 2 only for a TDX TCB status of {@code
 * UpToDate} (or an SNP report signed by a VCEK/VLEK) with debug off, 32 when the TDX TCB needs
 * mitigations, 96 when it is out of date, 97 when debug is on or nothing is recognized; {@code
 * executables} 3 only when {@code tdx.quote.body.mr_td} is in {@code rv["tdx.mr_td"]} (SNP: {@code
 * snp.measurement} in {@code rv["snp.measurement"]}), else 33; {@code configuration} 2 with debug
 * off and init-data bound, 3 with debug off, 96 with debug on, 36 otherwise; {@code runtime-opaque}
 * 2 with debug off, 96 with debug on. So a TDX attester is {@link EarStatus#AFFIRMING} only with an
 * up-to-date TCB, debug off and a registered MRTD; an unregistered MRTD gives {@link
 * EarStatus#WARNING}; debug or an out-of-date TCB {@link EarStatus#CONTRAINDICATED}.
 *
 * <p><b>Resource</b> ({@code dev/carapace/policy/defaults/resource.yaml}) releases a resource only
 * when the attestation claims say {@code ear.status == "affirming"} and {@code tee} is {@code tdx}
 * or {@code snp}.
 */
public final class DefaultPolicies {
  private static final String APPRAISAL_RESOURCE = "defaults/appraisal.yaml";
  private static final String RESOURCE_RESOURCE = "defaults/resource.yaml";

  private DefaultPolicies() {}

  /** The default appraisal policy (compiled once; immutable and shared). */
  public static AppraisalPolicy appraisal() {
    return Holder.APPRAISAL;
  }

  /** The default resource policy (compiled once; immutable and shared). */
  public static ResourcePolicy resource() {
    return Holder.RESOURCE;
  }

  /** The YAML text of the default appraisal policy. */
  public static String appraisalDocument() {
    return Holder.APPRAISAL_TEXT;
  }

  /** The YAML text of the default resource policy. */
  public static String resourceDocument() {
    return Holder.RESOURCE_TEXT;
  }

  /**
   * Reads a policy document shipped as a class-path resource under {@code dev/carapace/policy/}.
   */
  static String load(String name) {
    try (InputStream in = DefaultPolicies.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new PolicyBugException(
            "policy resource " + name + " is missing from the class path", null);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read policy resource " + name, e);
    }
  }

  private static final class Holder {
    static final String APPRAISAL_TEXT = load(APPRAISAL_RESOURCE);
    static final String RESOURCE_TEXT = load(RESOURCE_RESOURCE);
    static final AppraisalPolicy APPRAISAL;
    static final ResourcePolicy RESOURCE;

    static {
      try {
        APPRAISAL = PolicyParser.appraisal(APPRAISAL_TEXT);
        RESOURCE = PolicyParser.resource(RESOURCE_TEXT);
      } catch (PolicyValidationException e) {
        throw new PolicyBugException("a shipped default policy does not compile", e);
      }
    }
  }
}
