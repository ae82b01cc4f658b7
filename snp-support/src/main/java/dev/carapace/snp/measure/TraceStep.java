package dev.carapace.snp.measure;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * One SNP_LAUNCH_UPDATE page as the calculator modelled it.
 *
 * @param gpa guest-physical address in PAGE_INFO ({@link LaunchDigest#VMSA_GPA} for VMSAs)
 * @param contents the PAGE_INFO CONTENTS field (page SHA-384, or zeros)
 * @param digestAfter the launch digest after this update
 */
public record TraceStep(long gpa, PageType pageType, Bytes contents, Bytes digestAfter) {
  public TraceStep {
    Objects.requireNonNull(pageType, "pageType");
    Objects.requireNonNull(contents, "contents");
    Objects.requireNonNull(digestAfter, "digestAfter");
  }
}
