package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;

/** One piece of a message's content. */
public sealed interface ContentPart {

  /** Text. */
  record Text(String text) implements ContentPart {}

  /**
   * An image, by {@code https:} URL or inline as a {@code data:<media type>;base64,<data>} URL.
   * {@code detail} is OpenAI's {@code low}, {@code high} or {@code auto}; null when not given.
   */
  record Image(String url, @Nullable String detail) implements ContentPart {

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
}
