package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the event contract one on both sides. The Java records write {@code
 * web/test/fixtures/events.json}: each event type's fields (JSON kind, nullable, optional), read
 * off the records, and one sample frame per type as the codec encodes it. This test fails when the
 * checked-in file differs from what the records and codec produce now; the web's {@code
 * events.contract.test.ts} fails when the TypeScript union disagrees with the file. So a field
 * added, dropped or retyped on one side only fails one of the two. Run with {@code
 * -Dgrizz.contract.write=true} to rewrite the file after a deliberate change, then fix the web.
 */
class EventContractTests {

  static final Path FIXTURE = Path.of("..", "web", "test", "fixtures", "events.json");

  private final JsonMapper json = EventCodecTests.mapper();
  private final EventCodec codec = new EventCodec(json);

  private String frame(EventData data, long seq) {
    if (data instanceof EventData.Error error) {
      return json.writeValueAsString(new EventCodec.ErrorFrame(error));
    }
    ChatEvent event =
        new ChatEvent(
            EventCodecTests.CONVERSATION,
            EventCodecTests.CONVERSATION,
            EventCodecTests.STEP,
            seq,
            1,
            EventCodecTests.TS,
            data);
    return new LoggedEvent(new EventId(1767323045678L, seq), codec.encode(event)).frame();
  }

  private String fixture() {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("envelope", envelope());
    List<JsonNode> frames = new ArrayList<>();
    long seq = 1;
    for (EventData sample : EventCodecTests.samples()) {
      schema.put(sample.type(), fields(sample.getClass()));
      frames.add(json.readTree(frame(sample, seq++)));
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("schema", schema);
    file.put("samples", frames);
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(file) + "\n";
  }

  private static Map<String, Object> envelope() {
    // The frame's id comes first; type is the union's discriminant, its values the keys beside.
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", spec("string", false, false));
    for (RecordComponent c : EventCodec.Payload.class.getRecordComponents()) {
      if (!c.getName().equals("data") && !c.getName().equals("type")) {
        fields.put(snake(c.getName()), spec(kind(c), false, false));
      }
    }
    return fields;
  }

  private static Map<String, Object> fields(Class<?> type) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (RecordComponent c : type.getRecordComponents()) {
      boolean nullable = c.getAnnotatedType().isAnnotationPresent(Nullable.class);
      JsonInclude include = c.getAccessor().getAnnotation(JsonInclude.class);
      // A null the mapper leaves out is an absent field, not a null one.
      boolean optional =
          include != null
              && (include.value() == JsonInclude.Include.NON_NULL
                  || include.value() == JsonInclude.Include.NON_DEFAULT
                  || include.value() == JsonInclude.Include.NON_EMPTY);
      fields.put(snake(c.getName()), spec(kind(c), nullable && !optional, optional));
    }
    return fields;
  }

  private static Map<String, Object> spec(String kind, boolean nullable, boolean optional) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", kind);
    spec.put("nullable", nullable);
    spec.put("optional", optional);
    return spec;
  }

  private static String kind(RecordComponent c) {
    Class<?> t = c.getType();
    if (t == String.class || t == UUID.class || t == Instant.class) {
      return "string";
    }
    if (t == int.class
        || t == long.class
        || t == Integer.class
        || t == Long.class
        || t == BigDecimal.class) {
      return "number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "boolean";
    }
    if (t == List.class
        && c.getGenericType().getTypeName().equals("java.util.List<java.lang.String>")) {
      return "string[]";
    }
    if (t == List.class
        && c.getGenericType() instanceof java.lang.reflect.ParameterizedType list
        && list.getActualTypeArguments()[0] instanceof Class<?> item
        && item.isRecord()) {
      return "object[]";
    }
    if (t == Map.class) {
      return "object";
    }
    throw new AssertionError(
        c.getDeclaringRecord().getSimpleName() + "." + c.getName() + ": no JSON kind for " + t);
  }

  private static String snake(String name) {
    return name.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }

  @Test
  void everyEventTypeHasASample() {
    assertThat(EventCodecTests.samples().stream().map(Object::getClass).toList())
        .containsExactlyInAnyOrder(EventData.class.getPermittedSubclasses());
    assertThat(EventCodecTests.samples().stream().map(EventData::type).distinct())
        .hasSize(EventCodecTests.samples().size());
  }

  @Test
  void theWebFixtureIsWhatTheRecordsAndCodecProduce() throws Exception {
    String expected = fixture();
    if (Boolean.getBoolean("grizz.contract.write")) {
      Files.createDirectories(FIXTURE.getParent());
      Files.writeString(FIXTURE, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(FIXTURE, StandardCharsets.UTF_8))
        .as(
            "%s is out of date: the event records changed. Rerun this test with"
                + " -Dgrizz.contract.write=true and update web/src/lib/types.ts to match",
            FIXTURE)
        .isEqualTo(expected);
  }
}
