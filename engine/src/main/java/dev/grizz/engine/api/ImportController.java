package dev.grizz.engine.api;

import dev.grizz.engine.imports.ChatGptImporter;
import dev.grizz.engine.security.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * API v1: conversations brought from elsewhere. The body is a ChatGPT data export's {@code
 * conversations.json} as it is in the export's zip, up to {@code grizz.web.max-import-bytes}.
 */
@RestController
class ImportController {

  private final ChatGptImporter chatGpt;
  private final CurrentUser user;

  ImportController(ChatGptImporter chatGpt, CurrentUser user) {
    this.chatGpt = chatGpt;
    this.user = user;
  }

  @PostMapping(
      path = "/api/v1/conversations/import",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  ChatGptImporter.Result importChatGpt(@RequestBody JsonNode export) {
    return chatGpt.importExport(user.id(), export);
  }
}
