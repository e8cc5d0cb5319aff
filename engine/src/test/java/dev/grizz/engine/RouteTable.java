package dev.grizz.engine;

import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.handler.AbstractHandlerMethodMapping;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;

/**
 * Every route the running engine serves, read from its own handler mappings (controllers, actuator
 * endpoints, the WebSocket upgrade), so tests built on it cover a route the day it is added.
 */
public final class RouteTable {

  /**
   * One method and path pattern, with the handler's body type (null when it takes no body) and the
   * names of its query parameters.
   */
  public record Route(String method, String pattern, Class<?> bodyType, List<String> queryParams) {
    public String key() {
      return method + " " + pattern;
    }
  }

  private RouteTable() {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  public static List<Route> of(ApplicationContext context) {
    Set<Route> routes = new TreeSet<>(Comparator.comparing(Route::key));
    for (var mapping : context.getBeansOfType(AbstractHandlerMethodMapping.class).values()) {
      var methods = ((AbstractHandlerMethodMapping<Object>) mapping).getHandlerMethods();
      methods.forEach(
          (info, handler) -> {
            if (info instanceof RequestMappingInfo request) {
              add(routes, request, handler);
            }
          });
    }
    for (var mapping : context.getBeansOfType(AbstractUrlHandlerMapping.class).values()) {
      for (String pattern : mapping.getHandlerMap().keySet()) {
        if (pattern.startsWith("/ws/")) {
          routes.add(new Route("GET", pattern, null, List.of()));
        }
      }
    }
    return new ArrayList<>(routes);
  }

  private static void add(Set<Route> routes, RequestMappingInfo info, HandlerMethod handler) {
    Set<String> patterns = info.getPatternValues();
    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
    List<RequestMethod> all =
        methods.isEmpty() ? List.of(RequestMethod.GET, RequestMethod.POST) : List.copyOf(methods);
    Class<?> body = null;
    List<String> query = new ArrayList<>();
    for (var parameter : handler.getMethodParameters()) {
      if (parameter.hasParameterAnnotation(RequestBody.class)) {
        body = parameter.getParameterType();
      }
      var param =
          parameter.getParameterAnnotation(
              org.springframework.web.bind.annotation.RequestParam.class);
      if (param != null) {
        String name = !param.name().isEmpty() ? param.name() : param.value();
        query.add(name.isEmpty() ? parameterName(parameter.getParameter()) : name);
      }
    }
    for (String pattern : patterns) {
      for (RequestMethod method : all) {
        routes.add(new Route(method.name(), pattern, body, List.copyOf(query)));
      }
    }
  }

  private static String parameterName(Parameter parameter) {
    return parameter.getName();
  }
}
