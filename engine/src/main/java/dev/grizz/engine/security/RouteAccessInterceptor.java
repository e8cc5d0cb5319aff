package dev.grizz.engine.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Checks the caller again once the router has chosen a handler, this time against the route pattern
 * it matched: however a path was spelled, the decision is made on the route that will run. {@link
 * AuthFilter} decides first on the request's path (canonical by then); this check is there so that
 * a path the two see differently can never reach a handler it should not.
 */
@Configuration(proxyBeanMethods = false)
class RouteAccessInterceptor implements HandlerInterceptor, WebMvcConfigurer {

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this);
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    String route = pattern instanceof String matched ? matched : request.getRequestURI();
    Caller caller = (Caller) request.getAttribute(CurrentUser.ATTRIBUTE);
    check(RouteRules.need(request.getMethod(), route), caller);
    check(RouteRules.need(request.getMethod(), request.getRequestURI()), caller);
    return true;
  }

  /**
   * @throws AuthException 401 when the route needs a caller and there is none, 403 when it needs an
   *     admin and the caller is not one
   */
  static void check(RouteRules.Need need, @Nullable Caller caller) {
    if (need == RouteRules.Need.NONE) {
      return;
    }
    if (caller == null) {
      throw AuthException.unauthenticated(
          "unauthenticated",
          "Sign in first: send 'Authorization: Bearer <token>' (POST /api/v1/sessions gives one)"
              + " or sign the request with an API key.");
    }
    if (need == RouteRules.Need.ADMIN && !caller.admin()) {
      throw AuthException.forbidden("admin_required", "Only an admin may call this.");
    }
  }
}
