package dev.grizz.engine.mcp;

/**
 * A server a user tried to add that cannot be stored: a url that is not http(s) or points at a
 * private address, a bad name or header, too many servers. The code is stable; the message says
 * what to change.
 */
public final class McpServerRejectedException extends RuntimeException {

  private final String code;
  private final String param;

  McpServerRejectedException(String code, String param, String message) {
    super(message);
    this.code = code;
    this.param = param;
  }

  /** The stable error code ({@code invalid_mcp_server_url}, …). */
  public String code() {
    return code;
  }

  /** The request field at fault. */
  public String param() {
    return param;
  }
}
