package dev.carapace.snp.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.CertificateTable.Entry;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CertificateTableTest {
  private static final HexFormat HEX = HexFormat.of();

  /** The real VCEK of go-sev-guest's report with the Milan ASK and ARK, as a host would send. */
  static CertificateTable milanVcekTable() throws Exception {
    List<X509Certificate> chain = KdsVectors.chain(Product.MILAN, SignerKind.VCEK);
    return CertificateTable.of(List.of(
        new Entry(CertificateTable.VCEK_GUID,
            Bytes.copyOf(KdsVectors.vcekDer(KdsVectors.GSG_MILAN))),
        new Entry(CertificateTable.ASK_GUID, Bytes.copyOf(chain.get(0).getEncoded())),
        new Entry(CertificateTable.ARK_GUID, Bytes.copyOf(chain.get(1).getEncoded()))));
  }

  /** A raw entry: GUID bytes, little-endian offset and length. */
  private static byte[] entry(UUID guid, long offset, long length) {
    return ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN)
        .putLong(guid.getMostSignificantBits()).putLong(guid.getLeastSignificantBits())
        .order(ByteOrder.LITTLE_ENDIAN).putInt((int) offset).putInt((int) length).array();
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  private static final byte[] END = new byte[24];

  private static void assertMalformed(byte[] table, String messagePart) {
    assertThatThrownBy(() -> CertificateTable.parse(table))
        .isInstanceOfSatisfying(KdsException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining(messagePart);
  }

  @Test
  void guidsWhenEncodedThenRfc4122ByteOrder() {
    assertThat(HEX.formatHex(entry(CertificateTable.VCEK_GUID, 0, 0), 0, 16))
        .isEqualTo("63da758de6644564adc5f4b93be8accd");
    assertThat(HEX.formatHex(entry(CertificateTable.VLEK_GUID, 0, 0), 0, 16))
        .isEqualTo("a8074bc2a25a483eaae639c045a0b8a1");
    assertThat(HEX.formatHex(entry(CertificateTable.ASK_GUID, 0, 0), 0, 16))
        .isEqualTo("4ab7b379bbac4fe4a02f05aef327c782");
    assertThat(HEX.formatHex(entry(CertificateTable.ARK_GUID, 0, 0), 0, 16))
        .isEqualTo("c0b406a4a80349529743" + "3fb6014cd0ae");
  }

  @Test
  void encodeWhenRealCertificatesThenEntriesTerminatorAndDataInOrder() throws Exception {
    CertificateTable table = milanVcekTable();
    byte[] enc = table.encode();
    byte[] vcek = KdsVectors.vcekDer(KdsVectors.GSG_MILAN);
    byte[] ask = table.find(CertificateTable.ASK_GUID).orElseThrow().toByteArray();
    byte[] ark = table.find(CertificateTable.ARK_GUID).orElseThrow().toByteArray();
    byte[] expected = concat(
        entry(CertificateTable.VCEK_GUID, 96, vcek.length),
        entry(CertificateTable.ASK_GUID, 96 + vcek.length, ask.length),
        entry(CertificateTable.ARK_GUID, 96 + vcek.length + ask.length, ark.length),
        END, vcek, ask, ark);
    assertThat(enc).isEqualTo(expected);
    assertThat(CertificateTable.parse(enc)).isEqualTo(table);
  }

  @Test
  void parseWhenHandBuiltTableWithPaddingAndSharedDataThenEntriesAsListed() throws Exception {
    byte[] a = {1, 2, 3};
    byte[] b = {4, 5};
    // Host order differs from encode(): data reversed, entries pointing anywhere after the list.
    byte[] table = concat(
        entry(CertificateTable.ARK_GUID, 72 + 2, 3),
        entry(CertificateTable.VLEK_GUID, 72, 2),
        END, b, a, new byte[4096 - 77]);
    CertificateTable parsed = CertificateTable.parse(table);
    assertThat(parsed.entries()).containsExactly(
        new Entry(CertificateTable.ARK_GUID, Bytes.copyOf(a)),
        new Entry(CertificateTable.VLEK_GUID, Bytes.copyOf(b)));
    assertThat(parsed.find(CertificateTable.VCEK_GUID)).isEmpty();
    assertThat(parsed.toString()).contains(CertificateTable.ARK_GUID + ":3 B");
    // Round trip through encode keeps the entries (layout is normalised).
    assertThat(CertificateTable.parse(parsed.encode())).isEqualTo(parsed);
  }

  @Test
  void parseWhenEmptyOrAllZeroThenEmptyTable() throws Exception {
    assertThat(CertificateTable.parse(new byte[0]).isEmpty()).isTrue();
    assertThat(CertificateTable.parse(new byte[16384]).isEmpty()).isTrue();
    assertThat(CertificateTable.empty().encode()).isEqualTo(END);
  }

  @Test
  void parseWhenZeroLengthEntryThenKeptAsEmptyData() throws Exception {
    CertificateTable t = CertificateTable.parse(concat(entry(CertificateTable.VCEK_GUID, 0, 0),
        END));
    assertThat(t.find(CertificateTable.VCEK_GUID)).contains(Bytes.empty());
  }

  @Test
  void parseWhenTableIsMalformedThenMalformedNamingTheProblem() {
    byte[] ok = entry(CertificateTable.VCEK_GUID, 48, 4);
    assertMalformed(new byte[23], "no terminating");
    assertMalformed(concat(ok, new byte[10]), "no terminating");
    assertMalformed(ok, "no terminating");
    assertMalformed(concat(entry(CertificateTable.VCEK_GUID, 24, 4), END, new byte[4]),
        "inside the 48-byte entry list");
    assertMalformed(concat(entry(CertificateTable.VCEK_GUID, 0, 4), END, new byte[4]),
        "inside");
    assertMalformed(concat(ok, END, new byte[3]), "beyond the 51-byte table");
    assertMalformed(concat(entry(CertificateTable.VCEK_GUID, 0xFFFF_FFF0L, 0x20), END),
        "beyond");
    assertMalformed(concat(entry(CertificateTable.VCEK_GUID, 48, 0xFFFF_FFFFL), END),
        "beyond");
    assertMalformed(concat(entry(CertificateTable.VCEK_GUID, 72, 4),
        entry(CertificateTable.VCEK_GUID, 72, 0), END, new byte[4]),
        "repeats GUID " + CertificateTable.VCEK_GUID);
    assertMalformed(concat(entry(new UUID(0, 0), 48, 4), END, new byte[4]), "nil GUID");
    byte[][] many = new byte[CertificateTable.MAX_ENTRIES + 2][];
    for (int i = 0; i <= CertificateTable.MAX_ENTRIES; i++) {
      many[i] = entry(new UUID(1, i), 0, 0);
    }
    many[CertificateTable.MAX_ENTRIES + 1] = END;
    assertMalformed(concat(many), "more than 64 entries");
    assertMalformed(new byte[CertificateTable.MAX_SIZE + 1], "exceeds");
  }

  @Test
  void parseWhenArbitraryOrMutatedInputThenOnlyMalformedOrATable() throws Exception {
    Random random = new Random(20240611);
    byte[] valid = milanVcekTable().encode();
    for (int i = 0; i < 20_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = Arrays.copyOf(valid, random.nextInt(valid.length + 64));
        for (int m = random.nextInt(6); m >= 0; m--) {
          if (input.length > 0) {
            input[random.nextInt(Math.min(input.length, 120))] = (byte) random.nextInt(256);
          }
        }
      } else {
        input = new byte[random.nextInt(200)];
        random.nextBytes(input);
        if (input.length >= 48 && random.nextBoolean()) {
          Arrays.fill(input, 24, 48, (byte) 0); // terminator after one random entry
        }
      }
      try {
        CertificateTable t = CertificateTable.parse(input);
        CertificateTableSource source = new CertificateTableSource(t);
        for (SignerKind k : SignerKind.values()) {
          try {
            source.endorsementKey(k);
          } catch (KdsException e) {
            assertThat(e.reason()).isIn(Reason.NOT_FOUND, Reason.MALFORMED);
          }
          try {
            source.certChain(Product.MILAN, k);
          } catch (KdsException e) {
            assertThat(e.reason()).isIn(Reason.NOT_FOUND, Reason.MALFORMED);
          }
        }
      } catch (KdsException e) {
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
      }
    }
  }

  @Test
  void ofWhenDuplicateOrNilGuidThenIllegalArgument() {
    Entry e = new Entry(CertificateTable.ARK_GUID, Bytes.empty());
    assertThatThrownBy(() -> CertificateTable.of(List.of(e, e)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Entry(new UUID(0, 0), Bytes.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    List<Entry> many = new ArrayList<>();
    for (int i = 0; i <= CertificateTable.MAX_ENTRIES; i++) {
      many.add(new Entry(new UUID(1, i), Bytes.empty()));
    }
    assertThatThrownBy(() -> CertificateTable.of(many))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
