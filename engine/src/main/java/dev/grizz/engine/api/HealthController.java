package dev.grizz.engine.api;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness: the process answers. Readiness (database, Redis) is /actuator/health/readiness. */
@RestController
class HealthController {

  @GetMapping("/health")
  Map<String, String> health() {
    return Map.of("status", "up");
  }
}
