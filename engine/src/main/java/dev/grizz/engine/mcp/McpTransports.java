package dev.grizz.engine.mcp;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the SDK's transport for a server: a process speaking stdio for the operator's commands, or
 * Streamable HTTP over the JDK's client (no redirects followed: a redirect could lead past the
 * address rule). For users' servers the address rule runs before each connection.
 */
final class McpTransports {

  private static final Logger log = LoggerFactory.getLogger(McpTransports.class);

  private McpTransports() {}

  static Callable<McpClientTransport> of(
      McpServerConfig server, McpSettings settings, JsonMapper json, boolean checkAddress) {
    JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(json);
    if (server.stdio()) {
      return () -> {
        ServerParameters parameters =
            ServerParameters.builder(server.command().getFirst())
                .args(server.command().subList(1, server.command().size()))
                .env(server.env())
                .build();
        StdioClientTransport transport = new StdioClientTransport(parameters, mapper);
        transport.setStdErrorHandler(
            line -> log.debug("MCP server '{}' (stderr): {}", server.name(), line));
        return transport;
      };
    }
    URI url = server.url();
    return () -> {
      if (checkAddress) {
        String refusal = McpAddresses.refusal(url, settings.allowPrivateAddresses());
        if (refusal != null) {
          throw new IllegalStateException(refusal);
        }
      }
      String base = url.getScheme() + "://" + url.getRawAuthority();
      String endpoint =
          url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      if (url.getRawQuery() != null) {
        endpoint += "?" + url.getRawQuery();
      }
      Map<String, String> headers = server.headers();
      return HttpClientStreamableHttpTransport.builder(base)
          .endpoint(endpoint)
          .jsonMapper(mapper)
          .clientBuilder(
              HttpClient.newBuilder()
                  .connectTimeout(settings.connectTimeout())
                  .followRedirects(HttpClient.Redirect.NEVER))
          .addHttpRequestCustomizer(
              (request, method, uri, body, context) -> headers.forEach(request::setHeader))
          .build();
    };
  }
}
