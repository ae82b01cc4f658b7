package dev.carapace.attestation.service.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.service.appraisal.AppraisalService;
import dev.carapace.attestation.service.appraisal.CelPolicyEngine;
import dev.carapace.attestation.service.appraisal.NonceStore;
import dev.carapace.attestation.service.appraisal.PolicyCatalog;
import dev.carapace.attestation.service.appraisal.PolicyEngine;
import dev.carapace.attestation.service.appraisal.ReferenceValues;
import dev.carapace.attestation.service.evidence.DevelopmentPkis;
import dev.carapace.attestation.service.evidence.EvidenceVerifier;
import dev.carapace.attestation.service.evidence.EvidenceVerifiers;
import dev.carapace.evidence.io.pem.AtomicFiles;
import dev.carapace.attestation.service.store.FilePolicyStore;
import dev.carapace.attestation.service.store.FileReferenceValueStore;
import dev.carapace.attestation.service.store.FileSigningKeyStore;
import dev.carapace.attestation.service.store.PolicyStore;
import dev.carapace.attestation.service.store.ReferenceValueStore;
import dev.carapace.attestation.service.store.SigningKeyStore;
import dev.carapace.attestation.service.token.AttestationResultIssuer;
import dev.carapace.attestation.service.token.SigningKeys;
import dev.carapace.attestation.service.web.RequestSizeLimitFilter;
import dev.carapace.snp.kds.KdsCertificateSource;
import dev.carapace.snp.kds.KdsClient;
import dev.carapace.snp.kds.KdsException;
import dev.carapace.snp.kds.KdsSources;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.simulate.SnpDevelopmentPki;
import dev.carapace.snp.verify.TrustedRoots;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.CollateralFiles;
import dev.carapace.tdx.pcs.CollateralSource;
import dev.carapace.tdx.pcs.PcsCollateralSource;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.verify.TrustAnchors;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The one place that turns {@link AttestationServiceProperties} into library objects, with
 * plain constructors: stores in the data directory, signing keys, verifiers with their trust
 * anchors and collateral sources (nothing fetched unless a URL is configured), the policy
 * catalog and the appraisal pipeline. Time and randomness come from the {@link Clock} and
 * {@link SecureRandom} beans only.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AttestationServiceProperties.class)
public class AttestationServiceConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(AttestationServiceConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  SecureRandom secureRandom() {
    return new SecureRandom();
  }

  /** BouncyCastle for certificate and signature work, passed to libraries, never registered. */
  @Bean
  Provider bouncyCastle() {
    return new BouncyCastleProvider();
  }

  @Bean
  Path dataDirectory(AttestationServiceProperties p) {
    Path dir = p.dataDir().toAbsolutePath();
    try {
      AtomicFiles.createPrivateDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
    LOG.info("data directory {}", dir);
    if (p.dev()) {
      LOG.warn("DEVELOPMENT MODE: development TDX/SNP roots in {} are trusted and the sample TEE"
          + " is enabled; never use this in production", dir.resolve(DevelopmentPkis.DIRECTORY));
    }
    return dir;
  }

  @Bean
  PolicyStore policyStore(Path dataDirectory, ObjectMapper mapper) {
    return new FilePolicyStore(dataDirectory.resolve("policies"), mapper);
  }

  @Bean
  ReferenceValueStore referenceValueStore(Path dataDirectory, ObjectMapper mapper) {
    return new FileReferenceValueStore(dataDirectory.resolve("reference-values"), mapper);
  }

  @Bean
  SigningKeyStore signingKeyStore(Path dataDirectory, ObjectMapper mapper) {
    return new FileSigningKeyStore(dataDirectory.resolve("keys"), mapper);
  }

  @Bean
  SigningKeys signingKeys(SigningKeyStore store, AttestationServiceProperties p, Clock clock,
      SecureRandom random, Provider bouncyCastle) {
    SigningKeys.ConfiguredKey configured = null;
    if (p.signingKey() != null) {
      configured = SigningKeyFiles.read(p.signingKey(), p.signingCertChain());
    } else if (p.signingCertChain() != null) {
      throw new IllegalStateException(
          "carapace.attestation.signing-cert-chain needs carapace.attestation.signing-key");
    }
    return new SigningKeys(store, configured, p.tokenLifetime(), p.signingKeyRotation(), clock,
        random, bouncyCastle);
  }

  @Bean
  AttestationResultIssuer attestationResultIssuer(SigningKeys keys, Clock clock,
      AttestationServiceProperties p) {
    return new AttestationResultIssuer(keys, clock, p.issuer(), p.tokenLifetime());
  }

  @Bean
  NonceStore nonceStore(Clock clock, SecureRandom random, AttestationServiceProperties p) {
    return new NonceStore(clock, random, p.challengeLifetime());
  }

  @Bean
  ReferenceValues referenceValues(ReferenceValueStore store, Clock clock,
      AttestationServiceProperties p, ObjectMapper mapper) {
    return new ReferenceValues(store, clock, p.referenceValueLifetime(), mapper);
  }

  @Bean
  PolicyEngine policyEngine() {
    return new CelPolicyEngine();
  }

  @Bean
  PolicyCatalog policyCatalog(PolicyStore store, PolicyEngine engine, Clock clock) {
    return new PolicyCatalog(store, engine, clock);
  }

  @Bean
  EvidenceVerifiers evidenceVerifiers(AttestationServiceProperties p, Path dataDirectory,
      Clock clock, SecureRandom random, Provider bouncyCastle, ObjectMapper mapper) {
    try {
      List<EvidenceVerifier> verifiers = new ArrayList<>();
      verifiers.add(tdx(p, dataDirectory, clock, random, bouncyCastle, mapper));
      verifiers.add(snp(p, dataDirectory, clock, random, bouncyCastle, mapper));
      if (p.dev()) {
        verifiers.add(EvidenceVerifiers.sample(mapper));
      }
      return new EvidenceVerifiers(verifiers);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the development PKIs", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the development PKIs are unusable: " + e.getMessage(), e);
    } catch (CollateralException | KdsException e) {
      throw new IllegalStateException("the configured collateral is unusable: " + e.getMessage(),
          e);
    }
  }

  private static EvidenceVerifier tdx(AttestationServiceProperties p, Path dataDirectory,
      Clock clock, SecureRandom random, Provider bc, ObjectMapper mapper)
      throws IOException, GeneralSecurityException, CollateralException {
    AttestationServiceProperties.Tdx t = p.tdx();
    List<CollateralSource> sources = new ArrayList<>();
    if (t.collateral() != null) {
      sources.add(CollateralFiles.load(t.collateral()));
    }
    if (t.pcsUrl() != null) {
      PcsCollateralSource.Builder b = PcsCollateralSource.builder(t.pcsUrl()).clock(clock);
      if (t.pccs()) {
        b.pccsRootCaCrl();
      }
      sources.add(b.build());
    }
    TrustAnchors anchors = TrustAnchors.intel();
    if (p.dev()) {
      DevelopmentPki pki = DevelopmentPkis.tdx(dataDirectory, random, bc, clock);
      anchors = anchors.plus(pki.trustAnchors());
      sources.add(EvidenceVerifiers.developmentCollateral(pki, random, bc, clock));
    }
    if (sources.isEmpty()) {
      sources.add((fmspc, ca) -> {
        throw new CollateralException(CollateralException.Reason.NOT_FOUND,
            "no TDX collateral source is configured (carapace.attestation.tdx.collateral or "
                + "carapace.attestation.tdx.pcs-url)");
      });
    }
    return EvidenceVerifiers.tdx(anchors, EvidenceVerifiers.firstAvailable(sources),
        t.collateralCacheTtl(), clock, bc, mapper);
  }

  private static EvidenceVerifier snp(AttestationServiceProperties p, Path dataDirectory,
      Clock clock, SecureRandom random, Provider bc, ObjectMapper mapper)
      throws IOException, GeneralSecurityException, KdsException {
    AttestationServiceProperties.Snp s = p.snp();
    List<KdsCertificateSource> sources = new ArrayList<>();
    if (s.certs() != null) {
      sources.add(KdsSources.load(s.certs()));
    }
    if (s.kdsUrl() != null) {
      sources.add(KdsClient.builder(s.kdsUrl()).clock(clock).build());
    }
    KdsCertificateSource kds = sources.isEmpty() ? null : KdsSources.firstAvailable(sources);
    TrustedRoots devRoots = null;
    if (p.dev()) {
      List<Product> products = new ArrayList<>();
      for (String name : s.devProducts()) {
        products.add(Product.fromName(name).orElseThrow(() -> new IllegalArgumentException(
            "carapace.attestation.snp.dev-products: unknown product " + name)));
      }
      if (!products.isEmpty()) {
        devRoots = SnpDevelopmentPki.trustedRoots(
            DevelopmentPkis.snp(dataDirectory, products, random, bc, clock));
      }
    }
    return EvidenceVerifiers.snp(devRoots, kds, clock, bc, mapper);
  }

  @Bean
  AppraisalService appraisalService(EvidenceVerifiers verifiers, PolicyCatalog policies,
      ReferenceValues referenceValues, NonceStore nonces, AttestationServiceProperties p,
      AttestationResultIssuer issuer, ObjectMapper mapper, MeterRegistry meters) {
    return new AppraisalService(verifiers, policies, referenceValues, nonces,
        p.requireChallenge(), issuer, mapper, meters);
  }

  @Bean
  FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(AttestationServiceProperties p,
      ObjectMapper mapper) {
    FilterRegistrationBean<RequestSizeLimitFilter> r = new FilterRegistrationBean<>(
        new RequestSizeLimitFilter(p.maxRequestSize().toBytes(), mapper));
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return r;
  }
}
