package dev.carapace.tdx.pcs;

/**
 * One SGX or TDX TCB component of a TCB level.
 *
 * @param svn security version number, 0..255
 * @param category optional category name from PCS, empty when absent
 * @param type optional type name from PCS (e.g. "TDX Module"), empty when absent
 */
public record TcbComponent(int svn, String category, String type) {
  public TcbComponent {
    if (svn < 0 || svn > 255) {
      throw new IllegalArgumentException("svn must be 0..255, got " + svn);
    }
    category = category == null ? "" : category;
    type = type == null ? "" : type;
  }
}
