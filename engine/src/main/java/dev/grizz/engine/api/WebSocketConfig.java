package dev.grizz.engine.api;

import dev.grizz.engine.security.Caller;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.WebSettings;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

  /** The largest text message a client may send (ChatSocketHandler assembles it from parts). */
  static final int MAX_FRAME = 64 * 1024;

  /**
   * Tomcat allocates a text buffer of this many chars for every open socket, however idle; a
   * message larger than the buffer arrives in parts. A small buffer keeps an idle socket cheap.
   */
  static final int FRAME_BUFFER = 8 * 1024;

  private final ChatSocketHandler handler;
  private final WebSettings web;

  WebSocketConfig(ChatSocketHandler handler, WebSettings web) {
    this.handler = handler;
    this.web = web;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    // Browsers send Origin: only the engine's own origin and the configured ones may open a socket.
    registry
        .addHandler(handler, "/ws/chat/{conversationId}")
        .setAllowedOriginPatterns(web.allowedOrigins().toArray(String[]::new))
        .addInterceptors(new CallerHandshake());
  }

  @Bean
  ServletServerContainerFactoryBean webSocketContainer() {
    ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(FRAME_BUFFER);
    // The chat protocol is text only; a binary message is refused, so its buffer can be tiny.
    container.setMaxBinaryMessageBufferSize(1024);
    container.setMaxSessionIdleTimeout(0L);
    return container;
  }

  /** Hands the caller that AuthFilter proved on the upgrade request to the socket's session. */
  private static final class CallerHandshake implements HandshakeInterceptor {

    @Override
    public boolean beforeHandshake(
        ServerHttpRequest request,
        ServerHttpResponse response,
        WebSocketHandler handler,
        Map<String, Object> attributes) {
      if (request instanceof ServletServerHttpRequest servlet
          && servlet.getServletRequest().getAttribute(CurrentUser.ATTRIBUTE) instanceof Caller c) {
        attributes.put(CurrentUser.ATTRIBUTE, c);
        return true;
      }
      return false;
    }

    @Override
    public void afterHandshake(
        ServerHttpRequest request,
        ServerHttpResponse response,
        WebSocketHandler handler,
        @Nullable Exception exception) {}
  }
}
