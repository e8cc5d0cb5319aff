package dev.grizz.engine.api;

import dev.grizz.engine.security.WebSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

  static final int MAX_FRAME = 64 * 1024;

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
        .setAllowedOriginPatterns(web.allowedOrigins().toArray(String[]::new));
  }

  @Bean
  ServletServerContainerFactoryBean webSocketContainer() {
    ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(MAX_FRAME);
    container.setMaxSessionIdleTimeout(0L);
    return container;
  }
}
