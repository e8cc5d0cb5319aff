package dev.grizz.engine.file;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A file's media type from its name, checked against its first bytes for the images shown inline.
 */
final class MediaTypes {

  static final Set<String> INLINE_IMAGES = Set.of("image/png", "image/jpeg", "image/gif");

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("csv", "text/csv"),
          Map.entry("tsv", "text/tab-separated-values"),
          Map.entry("txt", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("json", "application/json"),
          Map.entry("html", "text/html"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          Map.entry("zip", "application/zip"));

  private MediaTypes() {}

  static String of(String name, byte[] content) {
    int dot = name.lastIndexOf('.');
    String type =
        dot < 0
            ? "application/octet-stream"
            : BY_EXTENSION.getOrDefault(
                name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    // An image is shown inline only when its bytes say it is one.
    if (INLINE_IMAGES.contains(type) && !magic(type, content)) {
      return "application/octet-stream";
    }
    return type;
  }

  private static boolean magic(String type, byte[] b) {
    return switch (type) {
      case "image/png" ->
          b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
      case "image/jpeg" -> b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
      case "image/gif" -> b.length > 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F';
      default -> false;
    };
  }
}
