package dev.grizz.engine.security;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Tomcat's error answers in JSON ({@link JsonErrorValve}), and CORS for the configured origins, as
 * a filter ahead of {@link AuthFilter}: a browser on an allowed origin must be able to read a 401
 * (to refresh its token), which it cannot when the CORS headers come only from the handler a
 * refused request never reaches.
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfig {

  @Bean
  FilterRegistrationBean<CorsFilter> corsFilter(WebSettings settings) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    if (!settings.allowedOrigins().isEmpty()) {
      CorsConfiguration cors = new CorsConfiguration();
      cors.setAllowedOriginPatterns(settings.allowedOrigins());
      cors.addAllowedMethod("GET");
      cors.addAllowedMethod("POST");
      cors.addAllowedMethod("PUT");
      cors.addAllowedMethod("PATCH");
      cors.addAllowedMethod("DELETE");
      cors.addAllowedHeader("*");
      cors.addExposedHeader("X-Trace-Id");
      cors.addExposedHeader("Retry-After");
      cors.addExposedHeader("Location");
      cors.addExposedHeader("RateLimit-Limit");
      cors.addExposedHeader("RateLimit-Remaining");
      cors.addExposedHeader("RateLimit-Reset");
      cors.addExposedHeader("WWW-Authenticate");
      cors.setMaxAge(600L);
      source.registerCorsConfiguration("/api/**", cors);
      source.registerCorsConfiguration("/v1/**", cors);
    }
    FilterRegistrationBean<CorsFilter> registration =
        new FilterRegistrationBean<>(new CorsFilter(source));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
    return registration;
  }

  /**
   * Tomcat passes an escaped {@code /} ({@code %2F}) through undecoded instead of refusing it, so
   * that a model id holding one reaches {@code GET /v1/models/{id}} as OpenAI's SDKs send it. It is
   * still refused everywhere else, by {@link RequestLimitsFilter} ({@link CanonicalPath}) before
   * anything reads the path; and passed through, it can never split a segment in two for the
   * router.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesPassThrough() {
    return factory ->
        factory.addConnectorCustomizers(
            connector -> connector.setEncodedSolidusHandling("passthrough"));
  }

  /** Tomcat's own error answers in JSON with the security headers ({@link JsonErrorValve}). */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorValve() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorValve.class.getName());
              }
            });
  }
}
