package dev.carapace.keybroker.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;

/** Reads request bodies with a bound, whether or not a Content-Length was sent. */
final class Bodies {
  private Bodies() {}

  static byte[] read(HttpServletRequest request, long limit) throws KbsException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(
        declared > 0 ? (int) declared : 1024);
    byte[] buf = new byte[8192];
    try (InputStream in = request.getInputStream()) {
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > limit) {
          throw tooLarge(limit);
        }
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }

  private static KbsException tooLarge(long limit) {
    return new KbsException(HttpStatus.PAYLOAD_TOO_LARGE, "PayloadTooLarge",
        "the request body exceeds " + limit + " bytes");
  }
}
