package dev.carapace.snp.report;

/**
 * An SEV-SNP firmware version as reported in CURRENT_* / COMMITTED_* (offsets 0x1E8 and 0x1EC).
 *
 * @param major API major version
 * @param minor API minor version
 * @param build build number
 */
public record FirmwareVersion(int major, int minor, int build) {

  public FirmwareVersion {
    Fields.u8(major, "major");
    Fields.u8(minor, "minor");
    Fields.u8(build, "build");
  }

  /** Compares major.minor only (the API version), ignoring the build. */
  public int compareApiVersion(FirmwareVersion other) {
    int c = Integer.compare(major, other.major);
    return c != 0 ? c : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor + " build " + build;
  }
}
