package dev.grizz.engine.event;

import dev.grizz.engine.EngineIT;
import org.springframework.beans.factory.annotation.Autowired;

@EngineIT
class RedisEventBackendIT extends EventBackendContract {

  @Autowired RedisEventBackend redis;

  @Override
  EventBackend backend() {
    return redis;
  }
}
