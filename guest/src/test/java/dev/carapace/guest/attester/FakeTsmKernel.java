package dev.carapace.guest.attester;

import dev.carapace.attestation.model.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Plays the kernel's part of configfs-tsm on a plain directory: mkdir populates the entry with
 * the attribute files a kernel would show (provider, generation, outblob, auxblob, empty inblob
 * and privlevel), rmdir records what was written and removes the entry. The generation value is
 * fixed up front (a real kernel counts writes), so a test can play a racing writer.
 */
final class FakeTsmKernel implements ConfigFsTsm.EntryOps {
  String provider = "tdx_guest";
  long generation = 1;
  byte[] outblob = new byte[0];
  byte[] auxblob = new byte[0];
  boolean privlevelVisible = true;

  final List<Path> created = new ArrayList<>();
  final List<Path> removed = new ArrayList<>();
  Bytes writtenInblob = Bytes.empty();
  String writtenPrivlevel = "";

  @Override
  public void mkdir(Path entry) throws IOException {
    Files.createDirectory(entry);
    created.add(entry);
    Files.writeString(entry.resolve("provider"), provider + "\n");
    Files.writeString(entry.resolve("generation"), generation + "\n");
    Files.write(entry.resolve("outblob"), outblob);
    Files.write(entry.resolve("auxblob"), auxblob);
    Files.write(entry.resolve("inblob"), new byte[0]);
    if (privlevelVisible) {
      Files.write(entry.resolve("privlevel"), new byte[0]);
    }
  }

  @Override
  public void rmdir(Path entry) throws IOException {
    writtenInblob = Bytes.copyOf(Files.readAllBytes(entry.resolve("inblob")));
    Path privlevel = entry.resolve("privlevel");
    writtenPrivlevel = Files.exists(privlevel) ? Files.readString(privlevel) : "";
    try (Stream<Path> files = Files.list(entry)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(entry);
    removed.add(entry);
  }
}
