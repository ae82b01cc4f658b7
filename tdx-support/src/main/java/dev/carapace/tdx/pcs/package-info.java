/**
 * Intel PCS collateral for TDX: TCB Info, QE Identity, CRLs and issuer chains, the PCK
 * certificate's SGX extensions, and sources that obtain collateral (Intel PCS/PCCS over HTTP, or
 * offline files). Nothing here touches the network unless a source is built with a URL.
 */
@NullMarked
package dev.carapace.tdx.pcs;

import org.jspecify.annotations.NullMarked;
