package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;

/** One piece of a message's content. */
public sealed interface ContentPart {

  /** Text, with the client's caching breakpoint when it set one. */
  record Text(String text, @Nullable CacheControl cache) implements ContentPart {

    public Text(String text) {
      this(text, null);
    }
  }

  /**
   * An image, by {@code https:} URL or inline as a {@code data:<media type>;base64,<data>} URL.
   * {@code detail} is OpenAI's {@code low}, {@code high} or {@code auto}; null when not given.
   */
  record Image(String url, @Nullable String detail, @Nullable CacheControl cache)
      implements ContentPart {

    public Image(String url, @Nullable String detail) {
      this(url, detail, null);
    }

    public Image {
      if (!(url.startsWith("https://") || url.startsWith("http://") || isDataUrl(url))) {
        throw new InvalidRequestException(
            Feature.IMAGES, "an image is an http(s) URL or a data:image/…;base64, URL");
      }
      if (detail != null
          && !(detail.equals("low") || detail.equals("high") || detail.equals("auto"))) {
        throw new InvalidRequestException(Feature.IMAGES, "an image's detail is low, high or auto");
      }
    }

    private static boolean isDataUrl(String url) {
      return url.startsWith("data:image/") && url.indexOf(";base64,") > 0;
    }

    /** Whether the image is inline (a data URL) rather than a link. */
    public boolean inline() {
      return url.startsWith("data:");
    }

    /** An inline image's media type, e.g. {@code image/png}; null for a link. */
    public @Nullable String mediaType() {
      return inline() ? url.substring("data:".length(), url.indexOf(";base64,")) : null;
    }

    /** An inline image's base64 data; null for a link. */
    public @Nullable String base64() {
      return inline() ? url.substring(url.indexOf(";base64,") + ";base64,".length()) : null;
    }
  }

  /**
   * A block of an assistant's reasoning as its vendor signed it (Anthropic's {@code thinking} with
   * its {@code signature}). Anthropic wants it back unchanged in later turns (with tools, in the
   * turn that carries the results), so it is kept whole; other vendors are not sent it: it is the
   * model's own notes, which no other vendor can check.
   */
  record Thinking(String text, String signature) implements ContentPart {}

  /** Reasoning the vendor sent encrypted (Anthropic's {@code redacted_thinking}), kept as sent. */
  record RedactedThinking(String data) implements ContentPart {}

  /** Whether the part is a vendor's signed or encrypted reasoning, for its vendor alone. */
  static boolean isThinking(ContentPart part) {
    return part instanceof Thinking || part instanceof RedactedThinking;
  }
}
