package dev.grizz.engine.event;

import dev.grizz.engine.EngineIT;
import org.springframework.beans.factory.annotation.Autowired;

@EngineIT
class PostgresEventBackendIT extends EventBackendContract {

  @Autowired PostgresEventBackend postgres;

  @Override
  EventBackend backend() {
    return postgres;
  }
}
