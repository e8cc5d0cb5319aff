package dev.grizz.engine.conversation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Column conversions shared by this package's repositories. */
final class Rows {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private Rows() {}

  static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  static <E extends Enum<E>> E fromWire(Class<E> type, String value) {
    return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.from(instant);
  }

  static String json(JsonMapper mapper, Map<String, Object> value) {
    return mapper.writeValueAsString(value);
  }

  static Map<String, Object> map(JsonMapper mapper, String json) {
    return mapper.readValue(json, MAP);
  }
}
