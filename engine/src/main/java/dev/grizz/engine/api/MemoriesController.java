package dev.grizz.engine.api;

import dev.grizz.engine.memory.Memories;
import dev.grizz.engine.memory.Memory;
import dev.grizz.engine.memory.MemoryMode;
import dev.grizz.engine.memory.MemoryNotFoundException;
import dev.grizz.engine.memory.MemoryRejectedException;
import dev.grizz.engine.memory.MemorySettings;
import dev.grizz.engine.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's long-term memories: list (proposals included), add, edit or confirm, delete; and
 * their memory mode (auto, confirm, off).
 */
@RestController
@RequestMapping(path = "/api/v1/memories", produces = MediaType.APPLICATION_JSON_VALUE)
class MemoriesController {

  private final Memories memories;
  private final MemorySettings settings;
  private final CurrentUser user;

  MemoriesController(Memories memories, MemorySettings settings, CurrentUser user) {
    this.memories = memories;
    this.settings = settings;
    this.user = user;
  }

  record AddRequest(@NotNull String content) {}

  /** New words, or {@code status: active} to confirm a proposal; either or both. */
  record UpdateRequest(@Nullable String content, @Nullable String status) {}

  record ModeRequest(@NotNull String mode) {}

  @GetMapping
  Map<String, Object> list(@RequestParam(required = false) @Nullable String status) {
    return Map.of("items", memories.list(user.id(), status));
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  Memory add(@Valid @RequestBody AddRequest request) {
    return memories.add(user.id(), request.content(), Memory.BY_USER, Memory.ACTIVE, null, null);
  }

  @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  Memory update(@PathVariable UUID id, @Valid @RequestBody UpdateRequest request) {
    if (request.content() == null && request.status() == null) {
      throw new MemoryRejectedException(
          "nothing_to_update", "content", "Send new content, status active, or both.");
    }
    if (request.status() != null && !request.status().equals(Memory.ACTIVE)) {
      throw new MemoryRejectedException(
          "invalid_memory_status", "status", "A proposal is confirmed with status active.");
    }
    return memories.update(user.id(), id, request.content(), request.status());
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable UUID id) {
    if (!memories.delete(user.id(), id)) {
      throw new MemoryNotFoundException();
    }
  }

  @GetMapping("/settings")
  Map<String, Object> mode() {
    return view(memories.mode(user.id()));
  }

  @PutMapping(path = "/settings", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> setMode(@Valid @RequestBody ModeRequest request) {
    return view(memories.setMode(user.id(), request.mode()));
  }

  private Map<String, Object> view(MemoryMode mode) {
    return Map.of(
        "mode",
        mode.wire(),
        "available",
        settings.longTerm(),
        "modes",
        List.of("auto", "confirm", "off"));
  }
}
