package dev.grizz.engine.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo provider's tool use, deterministic so the quick start, tests and benchmarks have a tool
 * path with no vendor: asked the time (in a city it knows) it calls {@code current_time}, one call
 * per city, side by side; asked to fetch or read an http(s) link it calls {@code fetch_url}; given
 * a fenced {@code python} block it runs it with {@code code_interpreter}; a line {@code /tool NAME
 * ARGUMENTS} calls NAME with ARGUMENTS as written (for tests: any tool, malformed arguments,
 * several calls); told to "remember that …" it calls {@code remember}. Given the results, it says
 * what each tool answered.
 */
final class DemoTools {

  private static final Pattern TIME =
      Pattern.compile(
          "\\b(what time|time is it|current time|time now|what's the time|the time in|date today"
              + "|today's date)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern LINK = Pattern.compile("https?://\\S+");
  private static final Pattern FETCH =
      Pattern.compile("\\b(fetch|read|open|summari[sz]e|get)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern COMMAND = Pattern.compile("(?m)^/tool\\s+([a-zA-Z0-9_-]+)\\s*(.*)$");
  private static final Pattern PYTHON = Pattern.compile("(?s)```(?:python|py)[ \\t]*\\n(.*?)```");
  private static final Pattern REMEMBER =
      Pattern.compile("(?is)^\\s*(?:please\\s+)?remember(?:\\s+that\\s+|\\s*:\\s*)(\\S.*)");
  private static final Map<String, String> CITIES = cities();

  private DemoTools() {}

  /** The calls the demo makes for the last message, or none: then it answers in words. */
  static List<ToolCall> calls(LlmRequest request) {
    if (request.tools().isEmpty() || request.messages().isEmpty()) {
      return List.of();
    }
    LlmRequest.ChatMessage last = request.messages().getLast();
    if (last.role() != LlmRequest.Role.USER) {
      return List.of();
    }
    String text = last.text();
    String prefix = "call_demo_" + request.messages().size() + "_";
    List<ToolCall> calls = new ArrayList<>();
    Matcher command = COMMAND.matcher(text);
    while (command.find()) {
      if (offered(request, command.group(1))) {
        calls.add(new ToolCall(prefix + calls.size(), command.group(1), command.group(2).strip()));
      }
    }
    if (!calls.isEmpty()) {
      return calls;
    }
    Matcher python = PYTHON.matcher(text);
    if (python.find() && offered(request, "code_interpreter")) {
      String code = JsonMapper.shared().writeValueAsString(Map.of("code", python.group(1)));
      calls.add(new ToolCall(prefix + "0", "code_interpreter", code));
      return calls;
    }
    if (TIME.matcher(text).find() && offered(request, "current_time")) {
      String lower = text.toLowerCase(Locale.ROOT);
      CITIES.forEach(
          (city, zone) -> {
            if (lower.contains(city)) {
              calls.add(
                  new ToolCall(
                      prefix + calls.size(), "current_time", "{\"timezone\":\"" + zone + "\"}"));
            }
          });
      if (calls.isEmpty()) {
        calls.add(new ToolCall(prefix + "0", "current_time", "{}"));
      }
      return calls;
    }
    Matcher remember = REMEMBER.matcher(text);
    if (remember.find() && offered(request, "remember")) {
      String fact = remember.group(1).strip().replaceAll("[.!]+$", "");
      String args = JsonMapper.shared().writeValueAsString(Map.of("fact", fact));
      calls.add(new ToolCall(prefix + "0", "remember", args));
      return calls;
    }
    Matcher link = LINK.matcher(text);
    if (link.find() && FETCH.matcher(text).find() && offered(request, "fetch_url")) {
      String url = link.group().replaceAll("[).,;!?\"']+$", "");
      calls.add(new ToolCall(prefix + "0", "fetch_url", "{\"url\":\"" + url + "\"}"));
    }
    return calls;
  }

  /** Streams the calls as a model does: the id and name first, the arguments in two pieces. */
  static void stream(List<ToolCall> calls, DeltaSink sink) {
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      sink.toolCall(new ToolCallDelta(i, call.id(), call.name(), ""));
      String args = call.arguments();
      int half = args.length() / 2;
      sink.toolCall(new ToolCallDelta(i, null, null, args.substring(0, half)));
      sink.toolCall(new ToolCallDelta(i, null, null, args.substring(half)));
    }
  }

  /** What the demo says after the tools answered, or null when the last message is no result. */
  static @Nullable String afterResults(LlmRequest request) {
    List<LlmRequest.ChatMessage> messages = request.messages();
    int first = messages.size();
    while (first > 0 && messages.get(first - 1).role() == LlmRequest.Role.TOOL) {
      first--;
    }
    if (first == messages.size()) {
      return null;
    }
    Map<String, String> names = new LinkedHashMap<>();
    if (first > 0) {
      for (ToolCall call : messages.get(first - 1).toolCalls()) {
        names.put(call.id(), call.name());
      }
    }
    StringBuilder reply = new StringBuilder();
    for (LlmRequest.ChatMessage result : messages.subList(first, messages.size())) {
      String name = names.getOrDefault(result.toolCallId(), "tool");
      if (!reply.isEmpty()) {
        reply.append(' ');
      }
      reply.append(sentence(name, result.text()));
    }
    return reply.toString();
  }

  private static String sentence(String name, String result) {
    if (name.equals("current_time")) {
      try {
        JsonNode time = JsonMapper.shared().readTree(result);
        if (time.path("datetime").isString()) {
          String datetime = time.path("datetime").stringValue();
          return "In "
              + time.path("timezone").asString("UTC")
              + " it is "
              + datetime.substring(11, 16)
              + " on "
              + time.path("weekday").asString("")
              + ", "
              + datetime.substring(0, 10)
              + ".";
        }
      } catch (JacksonException | StringIndexOutOfBoundsException e) {
        // not the time: said as any other result below
      }
    }
    String shown = result.length() > 300 ? result.substring(0, 300) + " …" : result;
    return "The tool " + name + " answered: " + shown.strip();
  }

  private static boolean offered(LlmRequest request, String name) {
    return request.tools().stream().anyMatch(tool -> tool.name().equals(name));
  }

  private static Map<String, String> cities() {
    Map<String, String> cities = new LinkedHashMap<>();
    cities.put("tokyo", "Asia/Tokyo");
    cities.put("paris", "Europe/Paris");
    cities.put("london", "Europe/London");
    cities.put("berlin", "Europe/Berlin");
    cities.put("new york", "America/New_York");
    cities.put("san francisco", "America/Los_Angeles");
    cities.put("los angeles", "America/Los_Angeles");
    cities.put("sydney", "Australia/Sydney");
    cities.put("mumbai", "Asia/Kolkata");
    cities.put("são paulo", "America/Sao_Paulo");
    cities.put("utc", "UTC");
    return cities;
  }
}
