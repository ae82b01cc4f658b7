package dev.carapace.keybroker.config;

import dev.carapace.attestation.service.appraisal.AppraisalService;
import dev.carapace.attestation.service.config.AttestationServiceConfiguration;
import dev.carapace.attestation.service.token.SigningKeys;
import dev.carapace.keybroker.admin.AdminAuthenticator;
import dev.carapace.keybroker.attest.Attestor;
import dev.carapace.keybroker.attest.BuiltInAttestor;
import dev.carapace.keybroker.attest.RemoteAttestor;
import dev.carapace.keybroker.policy.ResourcePolicies;
import dev.carapace.keybroker.resource.MasterKey;
import dev.carapace.keybroker.resource.ResourceStore;
import dev.carapace.keybroker.session.SessionStore;
import dev.carapace.keybroker.store.FileKeyValueStore;
import dev.carapace.keybroker.store.JdbcKeyValueStore;
import dev.carapace.keybroker.store.KeyValueStore;
import dev.carapace.keybroker.token.AttestationTokenVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Turns {@link KeyBrokerProperties} into the broker's objects with plain constructors. The
 * attestation service is either built in ({@link AttestationServiceConfiguration} imported, its
 * data under {@code carapace.attestation.data-dir}) or remote ({@code carapace.kbs.attestation-url}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeyBrokerProperties.class)
public class KeyBrokerConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(KeyBrokerConfiguration.class);

  /** The built-in attestation service (the default). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnExpression("'${carapace.kbs.attestation-url:}' == ''")
  @Import(AttestationServiceConfiguration.class)
  static class BuiltIn {
    @Bean
    Attestor attestor(AppraisalService appraisal, SigningKeys keys, KeyBrokerProperties p) {
      LOG.info("attestation: built-in service, policy {}", p.attestationPolicy());
      return new BuiltInAttestor(appraisal, keys, p.attestationPolicy());
    }
  }

  /** A remote attestation service. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "carapace.kbs", name = "attestation-url")
  static class Remote {
    @Bean
    Clock clock() {
      return Clock.systemUTC();
    }

    @Bean
    SecureRandom secureRandom() {
      return new SecureRandom();
    }

    @Bean
    Provider bouncyCastle() {
      return new BouncyCastleProvider();
    }

    @Bean
    Attestor attestor(KeyBrokerProperties p, Clock clock) {
      LOG.info("attestation: remote service {}", p.attestationUrl());
      return new RemoteAttestor(p.attestationUrl(), p.attestationPolicy(), clock);
    }
  }

  /**
   * The imported attestation service answers oversized bodies in its own error format; the
   * broker bounds bodies itself and answers in Trustee's.
   */
  @Bean
  static BeanDefinitionRegistryPostProcessor withoutAttestationServiceSizeFilter() {
    return new BeanDefinitionRegistryPostProcessor() {
      @Override
      public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (registry.containsBeanDefinition("requestSizeLimit")) {
          registry.removeBeanDefinition("requestSizeLimit");
        }
      }

      @Override
      public void postProcessBeanFactory(ConfigurableListableBeanFactory factory) {}
    };
  }

  @Bean
  KeyValueStore keyValueStore(KeyBrokerProperties p, Clock clock) {
    try {
      KeyBrokerProperties.Store db = p.store();
      if (db.jdbcUrl() != null) {
        LOG.info("broker state in the database {}", db.jdbcUrl().replaceAll("\\?.*", ""));
        String password = db.passwordFile() == null ? null
            : java.nio.file.Files.readString(db.passwordFile()).strip();
        return new JdbcKeyValueStore(db.jdbcUrl(), db.user(), password);
      }
      LOG.info("broker state in {}", p.dataDir().toAbsolutePath());
      return new FileKeyValueStore(p.dataDir().resolve("state"), clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the broker state directory", e);
    }
  }

  @Bean
  SessionStore sessionStore(KeyValueStore store, Clock clock, SecureRandom random,
      KeyBrokerProperties p) {
    return new SessionStore(store, clock, random, p.sessionLifetime());
  }

  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService sessionReaper(SessionStore sessions) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kbs-session-reaper");
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(() -> {
      try {
        sessions.removeExpired();
      } catch (IOException | RuntimeException e) {
        LOG.warn("session clean-up failed: {}", e.toString());
      }
    }, 60, 60, TimeUnit.SECONDS);
    return s;
  }

  @Bean
  ResourceStore resourceStore(KeyValueStore store, KeyBrokerProperties p, SecureRandom random) {
    try {
      MasterKey master = MasterKey.loadOrCreate(p.masterKey() != null ? p.masterKey()
          : p.dataDir().resolve("master.key"), random);
      return new ResourceStore(store, master, random);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the master key", e);
    }
  }

  @Bean
  ResourcePolicies resourcePolicies(KeyValueStore store) {
    return new ResourcePolicies(store);
  }

  @Bean
  AttestationTokenVerifier attestationTokenVerifier(Attestor attestor, Clock clock,
      Provider bouncyCastle) {
    return new AttestationTokenVerifier(attestor, clock, bouncyCastle);
  }

  @Bean
  AdminAuthenticator adminAuthenticator(KeyBrokerProperties p, Clock clock) {
    try {
      AdminAuthenticator a = new AdminAuthenticator(
          AdminAuthenticator.readKeys(p.admin().publicKeys()), new HashSet<>(p.admin().roles()),
          p.admin().issuer(), p.admin().audience(), clock);
      if (!a.enabled()) {
        LOG.warn("no admin public keys configured (carapace.kbs.admin.public-keys):"
            + " the administration API refuses every request");
      }
      return a;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the admin public keys", e);
    }
  }
}
