package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.eventlog.EventLogReplayException.Reason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes RTMR0..3 from a CC event log: every register starts at 48 zero bytes and each
 * measured event extends it as {@code RTMR = SHA-384(RTMR || sha384Digest)}.
 *
 * <p>Rules: EV_NO_ACTION events are skipped; events with MR index 0 (MRTD, measured by the TDX
 * module, not by extension) are skipped; MR index 1..4 extends RTMR0..3 with the event's SHA-384
 * digest; any other MR index, or a measured event without a SHA-384 digest, is an
 * {@link EventLogReplayException}. Event data is not re-hashed: the replay shows the log's
 * digests are the ones the registers hold, not that the data matches the digests.
 *
 * <p>Stateless and thread-safe.
 */
public final class RtmrReplayer {
  public static final int RTMR_COUNT = 4;
  public static final int RTMR_SIZE = 48;

  private RtmrReplayer() {}

  public static RtmrReplay replay(EventLog log) throws EventLogReplayException {
    if (log.specIdEvent().algorithm(DigestAlgorithm.SHA384.id()).isEmpty()) {
      throw new EventLogReplayException(
          Reason.MISSING_SHA384_DIGEST,
          "the log declares no SHA-384 digests (algorithms " + log.algorithms() + ")");
    }
    MessageDigest sha384 = newSha384();
    byte[][] registers = new byte[RTMR_COUNT][RTMR_SIZE];
    List<List<CcEvent>> members = new ArrayList<>();
    for (int i = 0; i < RTMR_COUNT; i++) {
      members.add(new ArrayList<>());
    }
    for (CcEvent event : log.events()) {
      if (event.type().equals(EventType.EV_NO_ACTION) || event.mrIndex() == 0) {
        continue;
      }
      String where = "event " + event.sequenceNumber() + " at offset " + event.offset();
      if (event.mrIndex() > RTMR_COUNT) {
        throw new EventLogReplayException(
            Reason.MR_INDEX_OUT_OF_RANGE,
            where + " has MR index " + event.mrIndex() + ", expected 0..4");
      }
      int index = (int) event.mrIndex() - 1;
      Bytes digest = event.digest(DigestAlgorithm.SHA384).orElseThrow(
          () -> new EventLogReplayException(
              Reason.MISSING_SHA384_DIGEST, where + " has no SHA-384 digest"));
      sha384.update(registers[index]);
      sha384.update(digest.toByteArray());
      registers[index] = sha384.digest();
      members.get(index).add(event);
    }
    List<ReplayedRtmr> rtmrs = new ArrayList<>();
    for (int i = 0; i < RTMR_COUNT; i++) {
      rtmrs.add(new ReplayedRtmr(i, Bytes.copyOf(registers[i]), members.get(i)));
    }
    return new RtmrReplay(rtmrs);
  }

  private static MessageDigest newSha384() {
    try {
      return MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java SE platform provides SHA-384", e);
    }
  }
}
