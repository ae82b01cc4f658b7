package dev.carapace.runtime.kernel;

import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.zstd.ZstdCompressor;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * Compresses test payloads the way the kernel build does, with Java encoders, and, where the
 * command-line tool is installed, with the tool itself (the kernel's own commands, from
 * {@code scripts/Makefile.lib}).
 */
final class Compressors {
  private Compressors() {}

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** xz with the x86 BCJ filter and CRC32 check, as {@code xz --check=crc32 --x86 --lzma2}. */
  static byte[] xz(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream xz = new XZOutputStream(out,
        new FilterOptions[] {new X86Options(), new LZMA2Options(6)}, XZ.CHECK_CRC32)) {
      xz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] zstd(byte[] data) {
    ZstdCompressor z = new ZstdCompressor();
    byte[] out = new byte[z.maxCompressedLength(data.length)];
    int n = z.compress(data, 0, data.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  /** LZ4 legacy frame as {@code lz4 -l}: magic, then 8 MiB blocks each with its size. */
  static byte[] lz4Legacy(byte[] data) {
    Lz4Compressor lz4 = new Lz4Compressor();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x02, 0x21, 0x4c, 0x18});
    int block = VmlinuxExtractor.LZ4_LEGACY_BLOCK;
    byte[] buf = new byte[lz4.maxCompressedLength(block)];
    for (int at = 0; at < data.length; at += block) {
      int n = lz4.compress(data, at, Math.min(block, data.length - at), buf, 0, buf.length);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array());
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /** Output of {@code command} fed {@code data} on stdin, if the tool is on the PATH. */
  static Optional<byte[]> tool(byte[] data, String... command) {
    if (!onPath(command[0])) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> {
        try (InputStream in = p.getInputStream()) {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      try (OutputStream in = p.getOutputStream()) {
        in.write(data);
      }
      byte[] out = stdout.join();
      return p.waitFor() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
