package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.eventlog.EventLogParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses a TCG2 crypto-agile event log, as found in the CCEL log area
 * ({@code /sys/firmware/acpi/tables/data/CCEL}): a legacy TCG_PCR_EVENT carrying the Spec ID
 * event, then TCG_PCR_EVENT2 entries until the end of the log.
 *
 * <p>The log ends at the end of the input, or at an entry header whose MR index or type is
 * 0xFFFFFFFF, or whose MR index and type are both 0, or when fewer than 8 bytes remain and they
 * are all 0x00 or all 0xFF. Bytes after the end are not interpreted.
 *
 * <p>Guarantees: for any input, {@link #parse} returns an {@link EventLog} or throws
 * {@link EventLogParseException}; it never throws an unchecked exception. No allocation is sized
 * by a length field beyond the bytes actually present: event sizes are checked against the
 * remaining input, the Spec ID event may list at most {@link #MAX_ALGORITHMS} algorithms and an
 * event may carry at most as many digests as algorithms are listed. Every event digest must use
 * a listed algorithm, at most once. Stateless and thread-safe.
 */
public final class EventLogParser {
  /** Upper bound on the algorithms a Spec ID event may list (the TCG registry has fewer). */
  public static final int MAX_ALGORITHMS = 16;

  private static final long END_MARKER = 0xffff_ffffL;
  private static final int HEADER_SIZE = 8;
  private static final Bytes SIGNATURE =
      Bytes.copyOf(SpecIdEvent.SIGNATURE.getBytes(StandardCharsets.US_ASCII));

  private EventLogParser() {}

  public static EventLog parse(byte[] log) throws EventLogParseException {
    EventLogReader r = new EventLogReader(log, 0, log.length, Reason.TRUNCATED);
    SpecIdEvent spec = parseSpecIdEvent(r);
    List<CcEvent> events = new ArrayList<>();
    int sequence = 1;
    while (!atEnd(log, r.position())) {
      events.add(parseEvent(r, spec, sequence++));
    }
    return new EventLog(spec, events, r.position());
  }

  private static boolean atEnd(byte[] log, int position) {
    int remaining = log.length - position;
    if (remaining >= HEADER_SIZE) {
      long mrIndex = EventLogReader.peekU32(log, position);
      long type = EventLogReader.peekU32(log, position + 4);
      return mrIndex == END_MARKER || type == END_MARKER || (mrIndex == 0 && type == 0);
    }
    boolean allZero = true;
    boolean allOnes = true;
    for (int i = position; i < log.length; i++) {
      allZero &= log[i] == 0;
      allOnes &= log[i] == (byte) 0xff;
    }
    return allZero || allOnes;
  }

  private static SpecIdEvent parseSpecIdEvent(EventLogReader r) throws EventLogParseException {
    long mrIndex = r.u32("Spec ID event MR index");
    long type = r.u32("Spec ID event type");
    if (type != EventType.EV_NO_ACTION.value()) {
      throw malformedSpec(
          "first event must be EV_NO_ACTION (3), found 0x" + Long.toHexString(type));
    }
    Bytes legacyDigest = r.bytes(SpecIdEvent.LEGACY_DIGEST_SIZE, "Spec ID event digest");
    long size = r.u32("Spec ID event size");
    int start = r.position();
    Bytes body = r.bytes(size, "Spec ID event data");
    byte[] raw = body.toByteArray();
    EventLogReader s = new EventLogReader(raw, 0, raw.length, Reason.MALFORMED_SPEC_ID_EVENT);
    if (!s.bytes(16, "signature").equals(SIGNATURE)) {
      throw malformedSpec("signature at offset " + start + " is not \"Spec ID Event03\"");
    }
    long platformClass = s.u32("platform class");
    int minor = s.u8("spec version minor");
    int major = s.u8("spec version major");
    int errata = s.u8("spec errata");
    int uintnSize = s.u8("uintn size");
    long count = s.u32("number of algorithms");
    if (count == 0) {
      throw malformedSpec("Spec ID event lists no algorithms");
    }
    if (count > MAX_ALGORITHMS) {
      throw new EventLogParseException(
          Reason.OVERSIZED,
          "Spec ID event lists " + count + " algorithms, at most " + MAX_ALGORITHMS + " allowed");
    }
    List<DigestAlgorithm> algorithms = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      algorithms.add(readAlgorithm(s, ids));
    }
    int vendorSize = s.u8("vendor info size");
    Bytes vendorInfo = s.bytes(vendorSize, "vendor info");
    if (s.remaining() != 0) {
      throw malformedSpec(
          "Spec ID event has " + s.remaining() + " bytes after the vendor info");
    }
    return new SpecIdEvent(
        mrIndex, legacyDigest, platformClass, minor, major, errata, uintnSize, algorithms,
        vendorInfo);
  }

  private static DigestAlgorithm readAlgorithm(EventLogReader s, Set<Integer> seen)
      throws EventLogParseException {
    int id = s.u16("algorithm id");
    int size = s.u16("digest size");
    if (!seen.add(id)) {
      throw malformedSpec(String.format("algorithm 0x%04x listed twice", id));
    }
    OptionalInt standard = DigestAlgorithm.standardDigestSize(id);
    if (standard.isPresent() && standard.getAsInt() != size) {
      throw malformedSpec(String.format(
          "algorithm 0x%04x must have digest size %d, declared %d", id, standard.getAsInt(), size));
    }
    if (size == 0) {
      throw malformedSpec(String.format("algorithm 0x%04x declares digest size 0", id));
    }
    if (size > DigestAlgorithm.MAX_DIGEST_SIZE) {
      throw new EventLogParseException(
          Reason.OVERSIZED,
          String.format("algorithm 0x%04x declares digest size %d, at most %d allowed", id, size,
              DigestAlgorithm.MAX_DIGEST_SIZE));
    }
    return new DigestAlgorithm(id, size);
  }

  private static CcEvent parseEvent(EventLogReader r, SpecIdEvent spec, int sequence)
      throws EventLogParseException {
    int offset = r.position();
    String where = "event " + sequence + " at offset " + offset;
    long mrIndex = r.u32(where + " MR index");
    long type = r.u32(where + " type");
    long count = r.u32(where + " digest count");
    if (count > spec.algorithms().size()) {
      throw new EventLogParseException(
          Reason.OVERSIZED,
          where + " has " + count + " digests, the log declares " + spec.algorithms().size()
              + " algorithms");
    }
    List<EventDigest> digests = new ArrayList<>((int) count);
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      int id = r.u16(where + " digest algorithm");
      DigestAlgorithm algorithm = spec.algorithm(id).orElseThrow(() -> new EventLogParseException(
          Reason.UNKNOWN_ALGORITHM,
          String.format("%s uses algorithm 0x%04x, not listed in the Spec ID event", where, id)));
      if (!ids.add(id)) {
        throw new EventLogParseException(
            Reason.MALFORMED_EVENT, where + " carries two " + algorithm.name() + " digests");
      }
      digests.add(new EventDigest(algorithm, r.bytes(algorithm.digestSize(), where + " digest")));
    }
    long size = r.u32(where + " data size");
    Bytes data = r.bytes(size, where + " data");
    return new CcEvent(sequence, offset, mrIndex, new EventType(type), digests, data);
  }

  private static EventLogParseException malformedSpec(String message) {
    return new EventLogParseException(Reason.MALFORMED_SPEC_ID_EVENT, message);
  }
}
