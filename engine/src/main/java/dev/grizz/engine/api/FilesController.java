package dev.grizz.engine.api;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.conversation.ConversationNotFoundException;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.file.FileStore;
import dev.grizz.engine.file.StoredFile;
import dev.grizz.engine.security.CurrentUser;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A conversation's files: uploads (the body is the file, its name a query parameter; the code
 * sandbox reads them under {@code /mnt/data}) and what code there wrote. A file is served with its
 * type only when a browser may show it inline (PNG, JPEG, GIF); anything else is a download.
 */
@RestController
class FilesController {

  private final FileStore files;
  private final ConversationStore conversations;
  private final CurrentUser user;

  FilesController(FileStore files, ConversationStore conversations, CurrentUser user) {
    this.files = files;
    this.conversations = conversations;
    this.user = user;
  }

  @PostMapping("/api/v1/conversations/{id}/files")
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> upload(
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable String name,
      @RequestBody(required = false) byte @Nullable [] content) {
    UUID userId = user.id();
    // Whose conversation it is comes first: another user learns nothing from the checks below.
    conversations.find(userId, id).orElseThrow(() -> new ConversationNotFoundException(id));
    if (name == null || !FileStore.validName(name)) {
      throw new MessageRejectedException(
          "invalid_file_name",
          "A file name is 1 to 255 characters without '/', '\\\\' or control characters.");
    }
    return view(
        files.save(userId, id, name, content == null ? new byte[0] : content, StoredFile.UPLOAD));
  }

  @GetMapping("/api/v1/conversations/{id}/files")
  Map<String, Object> list(@PathVariable UUID id) {
    conversations.find(user.id(), id).orElseThrow(() -> new ConversationNotFoundException(id));
    List<Map<String, Object>> items = files.list(id).stream().map(FilesController::view).toList();
    return Map.of("items", items);
  }

  @GetMapping("/api/v1/files/{id}")
  ResponseEntity<byte[]> download(@PathVariable UUID id) {
    StoredFile file =
        files.find(user.id(), id).orElseThrow(() -> new NotFoundException("No such file."));
    ContentDisposition disposition =
        (file.inlineImage() ? ContentDisposition.inline() : ContentDisposition.attachment())
            .filename(file.name(), StandardCharsets.UTF_8)
            .build();
    return ResponseEntity.ok()
        .contentType(
            file.inlineImage()
                ? MediaType.parseMediaType(file.mediaType())
                : MediaType.APPLICATION_OCTET_STREAM)
        .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
        .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
        .body(file.content());
  }

  @DeleteMapping("/api/v1/files/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable UUID id) {
    if (!files.delete(user.id(), id)) {
      throw new NotFoundException("No such file.");
    }
  }

  static Map<String, Object> view(StoredFile file) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", file.id());
    view.put("conversation_id", file.conversationId());
    view.put("name", file.name());
    view.put("media_type", file.mediaType());
    view.put("size", file.size());
    view.put("origin", file.origin());
    view.put("created_at", file.createdAt());
    view.put("url", "/api/v1/files/" + file.id());
    return view;
  }
}
