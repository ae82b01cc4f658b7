package dev.carapace.evidence.io.http;

import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * An HTTP answer: what {@link HttpFetcher#get} returns for 200, and what an {@link
 * HttpFetcher.ErrorDetail} describes for other statuses (then {@code body} is at most the error
 * excerpt). The body array is the caller's; it is not copied.
 */
public record FetchedResponse(int status, HttpHeaders headers, byte[] body) {
  public FetchedResponse {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }
}
