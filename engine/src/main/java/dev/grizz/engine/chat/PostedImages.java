package dev.grizz.engine.chat;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.InvalidRequestException;
import java.util.List;

/**
 * The images a user sends with a message: https: links or data: URLs holding a PNG, JPEG, GIF or
 * WebP image, at most {@value #MAX_IMAGES}. Their bytes count against the request body limit (the
 * web UI scales a photo down before sending it).
 */
final class PostedImages {

  static final int MAX_IMAGES = 4;

  private static final List<String> MEDIA_TYPES =
      List.of("image/png", "image/jpeg", "image/gif", "image/webp");

  private PostedImages() {}

  /**
   * @throws InvalidRequestException naming {@code images} for too many, or one that is not an image
   *     URL
   */
  static List<String> checked(List<String> images) {
    if (images.size() > MAX_IMAGES) {
      throw new InvalidRequestException(
          Feature.IMAGES, "images", "A message holds at most " + MAX_IMAGES + " images.");
    }
    for (String url : images) {
      ContentPart.Image image;
      try {
        image = new ContentPart.Image(url, null);
      } catch (InvalidRequestException e) {
        throw new InvalidRequestException(Feature.IMAGES, "images", e.getMessage());
      }
      if (image.inline() && !MEDIA_TYPES.contains(image.mediaType())) {
        throw new InvalidRequestException(
            Feature.IMAGES,
            "images",
            "An image is PNG, JPEG, GIF or WebP, not " + image.mediaType());
      }
    }
    return List.copyOf(images);
  }
}
