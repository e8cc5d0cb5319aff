package dev.grizz.engine.tool;

import java.time.Duration;
import okhttp3.Dns;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code fetch_url}: the text at an http(s) URL, within the operator's limits ({@link
 * FetchSettings}) and from public addresses only unless the operator allows private ones ({@link
 * PublicAddresses}). A model reads web pages that may tell it to fetch internal URLs, so the check
 * is not optional by default. HTML comes back as it is (cut to the size limits): no HTML-to-text
 * library is on the class path, and a model reads HTML well enough.
 */
@Component
class FetchUrlTool implements Tool {

  static final String NAME = "fetch_url";

  /** Room for the fetch's own time limit to speak before the call's limit cuts it off. */
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final FetchSettings settings;
  private final Fetcher fetcher;
  private final ToolDefinition definition;

  FetchUrlTool(FetchSettings settings, JsonMapper json) {
    this.settings = settings;
    this.fetcher = new Fetcher(settings, Dns.SYSTEM, PublicAddresses::refusal);
    this.definition =
        ToolDefinition.builtin(
            NAME,
            "Fetch a web page or other text document with an HTTP GET and return its status,"
                + " final URL, content type and text (HTML as is). Use it to read a URL the user"
                + " gave or one found earlier; it does not search.",
            json.readTree(
                """
                {"type": "object",
                 "properties": {"url": {"type": "string", "minLength": 1, "maxLength": 2048,
                   "description": "The absolute http or https URL to fetch"}},
                 "required": ["url"],
                 "additionalProperties": false}
                """),
            ToolLimits.DEFAULT.withTimeout(settings.timeout().plus(GRACE)).idempotent(true));
  }

  @Override
  public ToolDefinition definition() {
    return definition;
  }

  @Override
  public boolean enabled() {
    return settings.enabled();
  }

  @Override
  public ToolOutput call(ToolInput input) {
    return fetcher.fetch(input.arguments().path("url").asString(""), input.cancel());
  }
}
