package dev.grizz.engine.tool;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code current_time}: the date and time now, in a named time zone (UTC when none is given). */
@Component
class CurrentTimeTool implements Tool {

  static final String NAME = "current_time";

  private final Clock clock;
  private final JsonMapper json;
  private final ToolDefinition definition;

  CurrentTimeTool(Clock clock, JsonMapper json) {
    this.clock = clock;
    this.json = json;
    this.definition =
        ToolDefinition.builtin(
            NAME,
            "The current date and time in a time zone. Use it whenever the answer depends on"
                + " today's date or the time somewhere.",
            json.readTree(
                """
                {"type": "object",
                 "properties": {"timezone": {"type": "string",
                   "description": "An IANA time zone such as Asia/Tokyo or Europe/Paris; UTC when left out"}},
                 "additionalProperties": false}
                """),
            ToolLimits.DEFAULT.withTimeout(Duration.ofSeconds(5)).idempotent(true));
  }

  @Override
  public ToolDefinition definition() {
    return definition;
  }

  @Override
  public ToolOutput call(ToolInput input) {
    String zoneName = input.arguments().path("timezone").asString("UTC");
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneName.isBlank() ? "UTC" : zoneName);
    } catch (DateTimeException e) {
      return ToolOutput.error(
          "Unknown time zone '" + zoneName + "'. Use an IANA name such as Asia/Tokyo.");
    }
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
    ObjectNode out = json.createObjectNode();
    out.put("timezone", zone.getId());
    out.put("datetime", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    out.put("weekday", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    out.put("utc_offset", now.getOffset().getId());
    return ToolOutput.ok(json.writeValueAsString(out));
  }
}
