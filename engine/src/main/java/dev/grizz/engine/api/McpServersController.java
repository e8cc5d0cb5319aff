package dev.grizz.engine.api;

import dev.grizz.engine.mcp.UserMcpServers;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.security.Caller;
import dev.grizz.engine.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A signed-in user's own MCP servers (Streamable HTTP): add, list, delete. Header values go in and
 * are never shown again; a listing names the headers only.
 */
@RestController
@RequestMapping("/api/v1/mcp-servers")
class McpServersController {

  private final UserMcpServers servers;
  private final CurrentUser user;

  McpServersController(UserMcpServers servers, CurrentUser user) {
    this.servers = servers;
    this.user = user;
  }

  record AddRequest(
      @NotBlank @Size(max = 32) String name,
      @NotBlank @Size(max = 2048) String url,
      @Nullable Map<String, String> headers) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> add(@Valid @RequestBody AddRequest request) {
    return view(
        servers.add(
            account().userId(),
            request.name(),
            request.url(),
            request.headers() == null ? Map.of() : request.headers()));
  }

  @GetMapping
  Map<String, Object> list() {
    List<Map<String, Object>> listed =
        servers.list(account().userId()).stream().map(McpServersController::view).toList();
    return Map.of("items", listed);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable UUID id) {
    if (!servers.delete(account().userId(), id)) {
      throw new NotFoundException("No such MCP server.");
    }
  }

  private Caller account() {
    Caller caller = user.caller();
    if (caller.anonymous()) {
      throw AuthException.forbidden(
          "account_required", "Create an account (POST /api/v1/accounts) to add MCP servers.");
    }
    return caller;
  }

  private static Map<String, Object> view(UserMcpServers.Listed server) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", server.id());
    view.put("name", server.name());
    view.put("url", server.url());
    view.put("header_names", server.headerNames());
    view.put("created_at", server.createdAt());
    return view;
  }
}
