package dev.carapace.tdx.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.Vectors;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.TrustAnchors;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Trusting a development root next to Intel's must not let one vouch for the other. */
class MixedTrustTest {

  @Test
  void verifyWhenIntelQuoteMeetsDevelopmentCollateralThenUntrustedRoot() throws Exception {
    DevelopmentPki pki = Fixture.pki();
    TdxQuoteSimulator sim = Fixture.simulator(pki, SimulatedPlatform.defaults());
    Collateral devCollateral = sim.collateral();
    QuoteVerifier both = new QuoteVerifier(TrustAnchors.intel().plus(pki.trustAnchors()),
        Clock.fixed(Fixture.NOW, ZoneOffset.UTC), Fixture.BC);
    Quote intelQuote = QuoteParser.parse(Vectors.read("dcap-qvl/tdx_quote"));
    // Signatures of both verify under their own roots...
    both.verifySignatures(intelQuote);
    both.verify(QuoteParser.parse(sim.quote(TdQuoteRequest.of(Bytes.zeros(48), Bytes.zeros(64)))),
        devCollateral);
    // ...but development collateral never judges an Intel-rooted quote.
    assertThat(Fixture.reasonOf(() -> both.verify(intelQuote, devCollateral)))
        .isEqualTo(Reason.UNTRUSTED_ROOT);
  }
}
