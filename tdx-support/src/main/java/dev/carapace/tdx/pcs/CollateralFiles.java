package dev.carapace.tdx.pcs;

import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CRLException;

/**
 * Offline collateral from the file system: a {@link DirectoryCollateralSource} directory or a
 * single {@link QuoteCollateralV3} JSON file (what the CLI's {@code --collateral DIR|FILE}
 * accepts), and writing a collateral set out as such a directory. Files are capped at
 * {@link CollateralDocuments#MAX_DOCUMENT_SIZE}. Thread-safe (stateless).
 */
public final class CollateralFiles {
  private CollateralFiles() {}

  /**
   * A source for {@code path}: a directory is read lazily, on each call, by a
   * {@link DirectoryCollateralSource}; a regular file is parsed now as a QuoteCollateralV3 bundle
   * and served by a {@link StaticCollateralSource} for every FMSPC.
   *
   * @throws CollateralException {@code NOT_FOUND} if nothing exists at {@code path},
   *     {@code MALFORMED} if the file is not a valid bundle, {@code UNAVAILABLE} if unreadable
   */
  public static CollateralSource load(Path path) throws CollateralException {
    if (Files.isDirectory(path)) {
      return new DirectoryCollateralSource(path);
    }
    byte[] json = read(path);
    try {
      return new StaticCollateralSource(QuoteCollateralV3.parse(json));
    } catch (CollateralException e) {
      throw naming(path, e);
    }
  }

  /**
   * Writes {@code collateral} into {@code directory} (created if needed) in the
   * {@link DirectoryCollateralSource} layout, with the generic file names ({@code tcb_info.json},
   * {@code pck_crl.der}, ...). The JSON files are rebuilt as
   * {@code {"tcbInfo":<signed bytes>,"signature":"<hex>"}}, keeping the signed bytes exactly.
   * Existing files are replaced.
   */
  public static void writeDirectory(Path directory, Collateral collateral) throws IOException {
    Files.createDirectories(directory);
    try {
      Files.write(directory.resolve(DirectoryCollateralSource.ROOT_CA_CRL),
          collateral.rootCaCrl().getEncoded());
      Files.write(directory.resolve(DirectoryCollateralSource.PCK_CRL),
          collateral.pckCrl().getEncoded());
    } catch (CRLException e) {
      throw new IOException("CRL cannot be encoded", e);
    }
    writeText(directory.resolve(DirectoryCollateralSource.PCK_CRL_ISSUER_CHAIN),
        QuoteCollateralV3.pem(collateral.pckCrlIssuerChain()));
    writeText(directory.resolve(DirectoryCollateralSource.TCB_INFO_ISSUER_CHAIN),
        QuoteCollateralV3.pem(collateral.tcbInfoIssuerChain()));
    writeText(directory.resolve(DirectoryCollateralSource.QE_IDENTITY_ISSUER_CHAIN),
        QuoteCollateralV3.pem(collateral.qeIdentityIssuerChain()));
    Files.write(directory.resolve(DirectoryCollateralSource.TCB_INFO),
        response("tcbInfo", collateral.tcbInfo()));
    Files.write(directory.resolve(DirectoryCollateralSource.QE_IDENTITY),
        response("enclaveIdentity", collateral.qeIdentity()));
  }

  private static byte[] response(String key, Signed<?> signed) {
    byte[] head = ("{\"" + key + "\":").getBytes(StandardCharsets.US_ASCII);
    byte[] body = signed.signedBody().toByteArray();
    byte[] tail = (",\"signature\":\"" + signed.signature().toHex() + "\"}")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + body.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    System.arraycopy(tail, 0, out, head.length + body.length, tail.length);
    return out;
  }

  private static void writeText(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.US_ASCII);
  }

  /** Reads at most {@link CollateralDocuments#MAX_DOCUMENT_SIZE} bytes of {@code file}. */
  static byte[] read(Path file) throws CollateralException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] data = in.readNBytes(CollateralDocuments.MAX_DOCUMENT_SIZE + 1);
      if (data.length > CollateralDocuments.MAX_DOCUMENT_SIZE) {
        throw new CollateralException(Reason.MALFORMED,
            file + " exceeds " + CollateralDocuments.MAX_DOCUMENT_SIZE + " bytes");
      }
      return data;
    } catch (NoSuchFileException e) {
      throw new CollateralException(Reason.NOT_FOUND, "missing file " + file, e);
    } catch (IOException e) {
      throw new CollateralException(Reason.UNAVAILABLE, "cannot read " + file + ": " + e, e);
    }
  }

  /** The same failure, its message prefixed with the file it concerns. */
  static CollateralException naming(Path file, CollateralException e) {
    String message = e.getMessage();
    String prefix = e.reason() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    return new CollateralException(e.reason(), file + ": " + message, e);
  }
}
