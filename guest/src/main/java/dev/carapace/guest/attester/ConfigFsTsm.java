package dev.carapace.guest.attester;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.attester.AttesterException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Linux configfs-tsm report client ({@code Documentation/ABI/testing/configfs-tsm-report},
 * kernel 6.7+): one report per call, in a fresh entry {@code <root>/report/<random name>}.
 *
 * <p>Sequence: {@code mkdir} the entry; check {@code provider}; write {@code privlevel} if given,
 * then exactly 64 bytes to {@code inblob}; read {@code outblob} (and {@code auxblob} when asked);
 * after each read check that {@code generation} equals the number of our writes (the kernel
 * increments it on every write, so another writer to the entry makes it move, and the blob read
 * may belong to their request); {@code rmdir} the entry in every case. A moved generation is
 * {@link Reason#GENERATION_MISMATCH}; the caller may simply retry.
 *
 * <p>Thread-safe: every call uses its own entry. Blobs are bounded to {@value #MAX_BLOB} bytes.
 */
public final class ConfigFsTsm {
  /** Where configfs-tsm lives on a standard system. */
  public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/config/tsm");
  /** Upper bound on {@code outblob}/{@code auxblob} sizes read. */
  public static final int MAX_BLOB = 1 << 20;

  /** Creates and removes entries; the kernel populates an entry's attributes on mkdir. */
  interface EntryOps {
    void mkdir(Path entry) throws IOException;

    void rmdir(Path entry) throws IOException;
  }

  private static final EntryOps KERNEL = new EntryOps() {
    @Override
    public void mkdir(Path entry) throws IOException {
      Files.createDirectory(entry);
    }

    @Override
    public void rmdir(Path entry) throws IOException {
      Files.delete(entry);
    }
  };

  private final Path reportDir;
  private final SecureRandom random;
  private final EntryOps ops;

  /** A client of the configfs-tsm tree at {@code root}; entry names come from {@code random}. */
  public ConfigFsTsm(Path root, SecureRandom random) {
    this(root, random, KERNEL);
  }

  ConfigFsTsm(Path root, SecureRandom random, EntryOps ops) {
    this.reportDir = Objects.requireNonNull(root, "root").resolve("report");
    this.random = Objects.requireNonNull(random, "random");
    this.ops = Objects.requireNonNull(ops, "ops");
  }

  /**
   * Produces one report.
   *
   * @param inblob exactly 64 bytes of report data
   * @param privlevel the privilege level (SEV-SNP VMPL) to request, or empty to leave the default
   * @param provider the provider this caller's TEE needs ({@code tdx_guest}, {@code sev_guest})
   * @param withAuxblob whether to read {@code auxblob} (SEV-SNP certificates)
   */
  public TsmReport report(Bytes inblob, OptionalInt privlevel, String provider,
      boolean withAuxblob) throws AttesterException {
    Bytes.requireSize(inblob, Attester.REPORT_DATA_SIZE, "inblob");
    Objects.requireNonNull(privlevel, "privlevel");
    Objects.requireNonNull(provider, "provider");
    if (!Files.isDirectory(reportDir)) {
      throw new AttesterException(Reason.UNAVAILABLE, "configfs-tsm is not available: "
          + reportDir + " is not a directory (needs Linux 6.7+ with CONFIG_TSM_REPORTS)");
    }
    Path entry = reportDir.resolve("carapace-" + HexFormat.of().formatHex(nameBytes()));
    try {
      ops.mkdir(entry);
    } catch (IOException e) {
      throw new AttesterException(Reason.IO_FAILURE, "cannot create report entry " + entry, e);
    }
    AttesterException failure = null;
    TsmReport report = null;
    try {
      report = generate(entry, inblob, privlevel, provider, withAuxblob);
    } catch (AttesterException e) {
      failure = e;
    }
    try {
      ops.rmdir(entry);
    } catch (IOException e) {
      AttesterException removal = new AttesterException(Reason.IO_FAILURE,
          "cannot remove report entry " + entry, e);
      if (failure == null) {
        failure = removal;
      } else {
        failure.addSuppressed(removal);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return Objects.requireNonNull(report);
  }

  private TsmReport generate(Path entry, Bytes inblob, OptionalInt privlevel, String provider,
      boolean withAuxblob) throws AttesterException {
    String actual = new String(read(entry, "provider", 256), StandardCharsets.US_ASCII).strip();
    if (!actual.equals(provider)) {
      throw new AttesterException(Reason.WRONG_PROVIDER,
          "configfs-tsm provider is " + actual + ", expected " + provider);
    }
    long writes = 0;
    if (privlevel.isPresent()) {
      write(entry, "privlevel",
          Integer.toString(privlevel.getAsInt()).getBytes(StandardCharsets.US_ASCII));
      writes++;
    }
    write(entry, "inblob", inblob.toByteArray());
    writes++;
    byte[] outblob = read(entry, "outblob", MAX_BLOB);
    checkGeneration(entry, writes, "outblob");
    byte[] auxblob = new byte[0];
    if (withAuxblob) {
      auxblob = read(entry, "auxblob", MAX_BLOB);
      checkGeneration(entry, writes, "auxblob");
    }
    if (outblob.length == 0) {
      throw new AttesterException(Reason.MALFORMED_REPORT, "configfs-tsm outblob is empty");
    }
    return new TsmReport(actual, writes, Bytes.copyOf(outblob), Bytes.copyOf(auxblob));
  }

  private void checkGeneration(Path entry, long expected, String blob) throws AttesterException {
    String text = new String(read(entry, "generation", 64), StandardCharsets.US_ASCII).strip();
    long generation;
    try {
      generation = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new AttesterException(Reason.MALFORMED_REPORT,
          "configfs-tsm generation is not a number", e);
    }
    if (generation != expected) {
      throw new AttesterException(Reason.GENERATION_MISMATCH, "configfs-tsm generation was "
          + generation + " after reading " + blob + ", expected " + expected
          + ": another writer used the report entry");
    }
  }

  private static void write(Path entry, String attribute, byte[] data) throws AttesterException {
    try {
      Files.write(entry.resolve(attribute), data, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new AttesterException(Reason.IO_FAILURE, "cannot write configfs-tsm " + attribute, e);
    }
  }

  private static byte[] read(Path entry, String attribute, int max) throws AttesterException {
    try (InputStream in = Files.newInputStream(entry.resolve(attribute))) {
      byte[] data = in.readNBytes(max + 1);
      if (data.length > max) {
        throw new AttesterException(Reason.MALFORMED_REPORT,
            "configfs-tsm " + attribute + " exceeds " + max + " bytes");
      }
      return data;
    } catch (NoSuchFileException e) {
      throw new AttesterException(Reason.UNAVAILABLE,
          "configfs-tsm entry has no " + attribute + " attribute", e);
    } catch (IOException e) {
      throw new AttesterException(Reason.IO_FAILURE, "cannot read configfs-tsm " + attribute, e);
    }
  }

  private byte[] nameBytes() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    return "ConfigFsTsm[" + reportDir + "]";
  }
}
