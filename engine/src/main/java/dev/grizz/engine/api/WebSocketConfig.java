package dev.grizz.engine.api;

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

  WebSocketConfig(ChatSocketHandler handler) {
    this.handler = handler;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    // Origins are checked once authentication lands; until then any origin may connect.
    registry.addHandler(handler, "/ws/chat/{conversationId}").setAllowedOriginPatterns("*");
  }

  @Bean
  ServletServerContainerFactoryBean webSocketContainer() {
    ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(MAX_FRAME);
    container.setMaxSessionIdleTimeout(0L);
    return container;
  }
}
