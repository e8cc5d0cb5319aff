package dev.grizz.engine.mcp;

import dev.grizz.engine.config.RejectedInputException;

/**
 * A server a user tried to add that cannot be stored: a url that is not http(s) or points at a
 * private address, a bad name or header, too many servers. The code is stable ({@code
 * invalid_mcp_server_url}, …); the message says what to change.
 */
public final class McpServerRejectedException extends RejectedInputException {

  McpServerRejectedException(String code, String param, String message) {
    super(code, param, message);
  }
}
