package dev.grizz.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineIT;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The web UI's files: hashed assets cached for a year as immutable, HTML revalidated each time, and
 * the precompressed variants sent to a browser that accepts them (test files under
 * src/test/resources/static stand in for web/out).
 */
@EngineIT
class WebUiCachingIT {

  @LocalServerPort int port;

  private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (acceptEncoding != null) {
      request.header("Accept-Encoding", acceptEncoding);
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void hashedAssetsAreImmutableForAYear() throws Exception {
    HttpResponse<byte[]> js = get("/_next/static/grizz-test/app.js", null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Cache-Control"))
        .hasValue("max-age=31536000, public, immutable");
    assertThat(new String(js.body(), StandardCharsets.UTF_8)).contains("grizz web ui test asset");
  }

  @Test
  void precompressedVariantsGoToBrowsersThatAcceptThem() throws Exception {
    HttpResponse<byte[]> br = get("/_next/static/grizz-test/app.js", "gzip, deflate, br, zstd");
    assertThat(br.statusCode()).isEqualTo(200);
    assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
    assertThat(br.headers().allValues("Vary").toString()).contains("Accept-Encoding");
    assertThat(br.headers().firstValue("Cache-Control"))
        .hasValue("max-age=31536000, public, immutable");

    HttpResponse<byte[]> gzip = get("/_next/static/grizz-test/app.js", "gzip");
    assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("grizz web ui test asset");
    }
  }

  @Test
  void htmlIsRevalidatedEveryTime() throws Exception {
    HttpResponse<byte[]> html = get("/grizz-test.html", "gzip");
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(html.headers().firstValue("Content-Encoding")).hasValue("gzip");
  }

  @Test
  void theApiIsNotCachedAsAFile() throws Exception {
    HttpResponse<byte[]> health = get("/health", "gzip");
    assertThat(health.headers().firstValue("Cache-Control").orElse("")).doesNotContain("immutable");
  }
}
