package dev.grizz.engine.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A conversation's files: upload, list, download as the browser may show them, delete. */
@EngineIT
class FilesIT {

  /** A 1×1 PNG. */
  private static final byte[] PNG =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==");

  @LocalServerPort int port;

  private HttpResponse<byte[]> upload(ApiClient api, String conversation, String name, byte[] body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/api/v1/conversations/"
                            + conversation
                            + "/files?name="
                            + java.net.URLEncoder.encode(name, "UTF-8")))
                .header("Authorization", "Bearer " + api.token())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> download(ApiClient api, String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url))
                .header("Authorization", "Bearer " + api.token())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> response) {
    return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
  }

  @Test
  void uploadsAreListedAndServedSafely() throws Exception {
    ApiClient api = new ApiClient(port);
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();

    HttpResponse<byte[]> csv = upload(api, conversation, "sales data.csv", "a,b\n1,2\n".getBytes());
    assertThat(csv.statusCode()).isEqualTo(201);
    JsonNode file = json(csv);
    assertThat(file.get("media_type").asString()).isEqualTo("text/csv");
    assertThat(file.get("size").asLong()).isEqualTo(8);
    assertThat(file.get("origin").asString()).isEqualTo("upload");
    HttpResponse<byte[]> png = upload(api, conversation, "dot.png", PNG);
    HttpResponse<byte[]> fake = upload(api, conversation, "fake.png", "<script>".getBytes());
    assertThat(json(fake).get("media_type").asString()).isEqualTo("application/octet-stream");

    JsonNode listed = api.get("/api/v1/conversations/" + conversation + "/files").body();
    assertThat(listed.get("items")).hasSize(3);
    assertThat(listed.get("items").get(0).get("name").asString()).isEqualTo("sales data.csv");

    // A CSV is a download, never rendered; a real PNG is shown inline.
    HttpResponse<byte[]> got = download(api, file.get("url").asString());
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(new String(got.body())).isEqualTo("a,b\n1,2\n");
    assertThat(got.headers().firstValue("content-type")).hasValue("application/octet-stream");
    assertThat(got.headers().firstValue("content-disposition").orElseThrow())
        .startsWith("attachment");
    HttpResponse<byte[]> image = download(api, json(png).get("url").asString());
    assertThat(image.headers().firstValue("content-type")).hasValue("image/png");
    assertThat(image.headers().firstValue("content-disposition").orElseThrow())
        .startsWith("inline");
    assertThat(image.body()).isEqualTo(PNG);
    HttpResponse<byte[]> faked = download(api, json(fake).get("url").asString());
    assertThat(faked.headers().firstValue("content-type")).hasValue("application/octet-stream");

    // Another user sees none of it.
    ApiClient other = new ApiClient(port);
    assertThat(download(other, file.get("url").asString()).statusCode()).isEqualTo(404);
    assertThat(other.get("/api/v1/conversations/" + conversation + "/files").status())
        .isEqualTo(404);
    assertThat(upload(other, conversation, "x.csv", new byte[] {1}).statusCode()).isEqualTo(404);

    assertThat(api.delete(file.get("url").asString()).status()).isEqualTo(204);
    assertThat(download(api, file.get("url").asString()).statusCode()).isEqualTo(404);
    // With its conversation go its files.
    assertThat(api.delete("/api/v1/conversations/" + conversation).status()).isEqualTo(204);
    assertThat(download(api, json(png).get("url").asString()).statusCode()).isEqualTo(404);
  }

  @Test
  void aBadNameOrAnOversizedFileIsRefused() throws Exception {
    ApiClient api = new ApiClient(port);
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    HttpResponse<byte[]> slash = upload(api, conversation, "../etc/passwd", new byte[] {1});
    assertThat(slash.statusCode()).isEqualTo(400);
    assertThat(json(slash).at("/error/code").asString()).isEqualTo("invalid_file_name");
    HttpResponse<byte[]> big = upload(api, conversation, "big.bin", new byte[(16 << 20) + 1]);
    assertThat(big.statusCode()).isEqualTo(413);
    // The upload's limit is its own: other routes keep theirs.
    HttpResponse<byte[]> fine = upload(api, conversation, "ok.bin", new byte[2 << 20]);
    assertThat(fine.statusCode()).isEqualTo(201);
  }
}
