package dev.grizz.engine.tool;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * What {@code fetch_url} tells a model about a response: a few header lines (status, final URL,
 * content type, whether the body was cut) and the body as text. Plain lines rather than JSON, so a
 * result cut at the tool's size limit still reads well. At most {@code maxBytes} (plus one read
 * segment) of the body is held in memory, whatever the server sends.
 */
final class FetchedText {

  private static final Set<String> TEXT_APPLICATION_TYPES =
      Set.of(
          "json",
          "xml",
          "javascript",
          "ecmascript",
          "x-javascript",
          "yaml",
          "x-yaml",
          "toml",
          "ndjson",
          "x-ndjson",
          "sql",
          "graphql",
          "csv");

  private FetchedText() {}

  /** The response as a result: an error for a status of 400 or more, or a type that is not text. */
  static ToolOutput of(Response response, HttpUrl url, long maxBytes) throws IOException {
    ResponseBody body = response.body();
    MediaType type = body == null ? null : body.contentType();
    if (type != null && !textual(type)) {
      return ToolOutput.error(
          url
              + " answered with "
              + type.type()
              + "/"
              + type.subtype()
              + ", which is not text. This tool only reads text, HTML, JSON and XML.");
    }
    byte[] bytes = new byte[0];
    boolean cut = false;
    if (body != null) {
      BufferedSource source = body.source();
      cut = source.request(maxBytes + 1);
      Buffer buffer = source.getBuffer();
      bytes = buffer.readByteArray(Math.min(buffer.size(), maxBytes));
    }
    if (type == null && contains(bytes, (byte) 0)) {
      return ToolOutput.error(url + " answered with binary data, not text.");
    }
    String text = new String(bytes, type == null ? StandardCharsets.UTF_8 : charset(type));
    StringBuilder out = new StringBuilder();
    out.append("status: ").append(response.code()).append('\n');
    out.append("url: ").append(url).append('\n');
    out.append("content_type: ").append(type == null ? "(none given)" : type).append('\n');
    if (cut) {
      out.append("[cut: the body is longer than ")
          .append(maxBytes)
          .append(" bytes; only those were read]\n");
    }
    out.append('\n').append(text);
    return response.code() >= 400
        ? ToolOutput.error(out.toString())
        : ToolOutput.ok(out.toString());
  }

  private static boolean textual(MediaType type) {
    String main = type.type().toLowerCase(Locale.ROOT);
    String sub = type.subtype().toLowerCase(Locale.ROOT);
    return main.equals("text")
        || (main.equals("application")
            && (TEXT_APPLICATION_TYPES.contains(sub)
                || sub.endsWith("+json")
                || sub.endsWith("+xml")));
  }

  private static Charset charset(MediaType type) {
    try {
      Charset charset = type.charset(StandardCharsets.UTF_8);
      return charset == null ? StandardCharsets.UTF_8 : charset;
    } catch (RuntimeException e) {
      return StandardCharsets.UTF_8;
    }
  }

  private static boolean contains(byte[] bytes, byte value) {
    for (byte b : bytes) {
      if (b == value) {
        return true;
      }
    }
    return false;
  }
}
