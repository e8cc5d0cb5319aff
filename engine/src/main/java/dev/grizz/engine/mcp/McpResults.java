package dev.grizz.engine.mcp;

import dev.grizz.engine.tool.ToolOutput;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * An MCP tool result as the text a model reads: text parts joined by new lines, and what the text
 * cannot carry (an image, audio, a binary resource) said in words with its type and size, so the
 * model knows something came back even though it is not shown.
 */
final class McpResults {

  private McpResults() {}

  static ToolOutput output(McpSchema.CallToolResult result, JsonMapper json) {
    List<String> parts = new ArrayList<>();
    if (result.content() != null) {
      for (McpSchema.Content content : result.content()) {
        parts.add(describe(content));
      }
    }
    if (parts.isEmpty() && result.structuredContent() != null) {
      parts.add(json.writeValueAsString(result.structuredContent()));
    }
    String text = String.join("\n", parts);
    if (Boolean.TRUE.equals(result.isError())) {
      return ToolOutput.error(
          text.isBlank() ? "The tool reported an error without saying what." : text);
    }
    return ToolOutput.ok(text);
  }

  private static String describe(McpSchema.Content content) {
    return switch (content) {
      case McpSchema.TextContent text -> text.text();
      case McpSchema.ImageContent image ->
          "[an image (" + image.mimeType() + ", " + size(image.data()) + ") that is not shown]";
      case McpSchema.AudioContent audio ->
          "[an audio clip ("
              + audio.mimeType()
              + ", "
              + size(audio.data())
              + ") that is not shown]";
      case McpSchema.EmbeddedResource embedded -> resource(embedded.resource());
      case McpSchema.ResourceLink link ->
          "[a link to the resource "
              + link.name()
              + " at "
              + link.uri()
              + (link.mimeType() == null ? "" : " (" + link.mimeType() + ")")
              + "]";
      default -> "[content of type '" + content.type() + "' that is not shown]";
    };
  }

  private static String resource(McpSchema.ResourceContents resource) {
    return switch (resource) {
      case McpSchema.TextResourceContents text -> "[resource " + text.uri() + "]\n" + text.text();
      case McpSchema.BlobResourceContents blob ->
          "[the resource "
              + blob.uri()
              + " ("
              + (blob.mimeType() == null ? "binary" : blob.mimeType())
              + ", "
              + size(blob.blob())
              + ") that is not shown]";
      default -> "[the resource " + resource.uri() + " that is not shown]";
    };
  }

  /** The decoded size of base64 data, in words. */
  private static String size(String base64) {
    long bytes = base64 == null ? 0 : base64.length() * 3L / 4;
    return bytes < 1024 ? bytes + " bytes" : (bytes / 1024) + " KiB";
  }
}
