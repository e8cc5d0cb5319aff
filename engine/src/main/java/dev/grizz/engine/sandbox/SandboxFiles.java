package dev.grizz.engine.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Checks on names and text that come from a sandbox or go to one. */
final class SandboxFiles {

  private SandboxFiles() {}

  /** A plain file name: no separator, not {@code .} or {@code ..}, no NUL, at most 255 bytes. */
  static boolean plainName(String name) {
    return !name.isEmpty()
        && !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('\\') < 0
        && name.indexOf('\0') < 0
        && name.getBytes(StandardCharsets.UTF_8).length <= 255;
  }

  /** A relative path of plain names (what the kernel reports under {@code /mnt/data}). */
  static boolean relativeName(String name) {
    if (name.isEmpty() || name.length() > 4096) {
      return false;
    }
    for (String part : name.split("/", -1)) {
      if (!plainName(part)) {
        return false;
      }
    }
    return true;
  }

  /** The longest prefix of {@code text} whose UTF-8 form fits in {@code maxBytes}. */
  static String cutUtf8(String text, int maxBytes) {
    if (maxBytes <= 0) {
      return "";
    }
    if ((long) text.length() * 3 <= maxBytes) {
      return text;
    }
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > maxBytes) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return text.substring(0, i);
  }

  /** The files of a result frame, names checked, contents decoded and capped. */
  static List<SandboxFile> fromFrame(JsonNode list, boolean withContent) {
    List<SandboxFile> files = new ArrayList<>();
    for (JsonNode f : list) {
      String name = f.path("name").asString("");
      long size = f.path("size").asLong(-1);
      if (!relativeName(name) || size < 0) {
        continue;
      }
      byte[] content = null;
      if (withContent && f.path("content_b64").isString()) {
        try {
          content = Base64.getDecoder().decode(f.path("content_b64").asString());
        } catch (IllegalArgumentException e) {
          content = null;
        }
        if (content != null && content.length > KernelProtocol.FILE_CAP) {
          content = null;
        }
      }
      files.add(new SandboxFile(name, content != null ? content.length : size, content));
    }
    return List.copyOf(files);
  }
}
