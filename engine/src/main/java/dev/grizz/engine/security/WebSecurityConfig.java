package dev.grizz.engine.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** CORS for the configured origins. */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfig implements WebMvcConfigurer {

  private final WebSettings settings;

  WebSecurityConfig(WebSettings settings) {
    this.settings = settings;
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    if (settings.allowedOrigins().isEmpty()) {
      return;
    }
    String[] origins = settings.allowedOrigins().toArray(String[]::new);
    for (String path : new String[] {"/api/**", "/v1/**"}) {
      registry
          .addMapping(path)
          .allowedOriginPatterns(origins)
          .allowedMethods("GET", "POST", "PATCH", "DELETE")
          .allowedHeaders("*")
          .exposedHeaders("X-Trace-Id", "Retry-After", "Location")
          .maxAge(600);
    }
  }
}
