package dev.grizz.engine.config;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.EncodedResourceResolver;
import org.springframework.web.servlet.resource.PathResourceResolver;
import org.springframework.web.servlet.resource.ResourceResolverChain;

/**
 * How the bundled web UI (web/out, on the classpath under {@code static/}) is served: the
 * content-hashed files under {@code /_next/static/} may be cached for a year and never revalidated;
 * everything else (the HTML, the favicon) is revalidated on every load, so a new engine's UI is
 * picked up at once. The build precompresses the UI ({@code .br} and {@code .gz} next to each
 * file): a browser that accepts them gets those bytes, brotli first (smaller), with {@code Vary:
 * Accept-Encoding}.
 */
@Configuration(proxyBeanMethods = false)
class WebUiConfig implements WebMvcConfigurer {

  static final String LOCATION = "classpath:/static/";

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry
        .addResourceHandler("/_next/static/**")
        .addResourceLocations(LOCATION + "_next/static/")
        .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
        .resourceChain(false)
        .addResolver(new BrotliFirst())
        .addResolver(new PathResourceResolver());
    // Spring Boot adds its own /** handler only when none is registered: this one replaces it.
    registry
        .addResourceHandler("/**")
        .addResourceLocations(LOCATION)
        .setCacheControl(CacheControl.noCache())
        .resourceChain(false)
        .addResolver(new BrotliFirst())
        .addResolver(new PathResourceResolver());
  }

  /**
   * Spring's resolver takes the codings in the order the client lists them, and browsers list gzip
   * before br: a client that accepts br is offered br first.
   */
  static final class BrotliFirst extends EncodedResourceResolver {

    @Override
    protected @Nullable Resource resolveResourceInternal(
        @Nullable HttpServletRequest request,
        String requestPath,
        List<? extends Resource> locations,
        ResourceResolverChain chain) {
      return super.resolveResourceInternal(
          request == null ? null : preferBrotli(request), requestPath, locations, chain);
    }

    private static HttpServletRequest preferBrotli(HttpServletRequest request) {
      String accepted = request.getHeader("Accept-Encoding");
      if (accepted == null || !accepted.toLowerCase(Locale.ROOT).contains("br")) {
        return request;
      }
      String reordered = "br, " + accepted;
      return new HttpServletRequestWrapper(request) {
        @Override
        public String getHeader(String name) {
          return "Accept-Encoding".equalsIgnoreCase(name) ? reordered : super.getHeader(name);
        }
      };
    }
  }
}
