package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * Expected identity of a TDX module: {@code tdxModule} (id empty, no levels) or one entry of
 * {@code tdxModuleIdentities} (id such as "TDX_01", with TCB levels).
 */
public record TdxModuleIdentity(
    String id, Bytes mrSigner, Bytes attributes, Bytes attributesMask,
    List<EnclaveTcbLevel> tcbLevels) {
  public TdxModuleIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(mrSigner, "mrSigner");
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(attributesMask, "attributesMask");
    tcbLevels = List.copyOf(tcbLevels);
  }
}
