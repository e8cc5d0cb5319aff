package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.moderation.ViolationLog;
import dev.grizz.engine.usage.Budgets;
import dev.grizz.engine.usage.UsageSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document's shapes against the code that writes and reads them: a schema written from
 * a record names exactly the record's fields (snake_case, as the engine's mapper writes them), and
 * the event schemas list exactly the event types of {@link EventData} with their fields. A field
 * added to a record, or an event type added, fails here until the document says it too. Reads the
 * document from the class path: no engine needed.
 */
class OpenApiSchemasTests {

  /** Schema name → the records it describes (a request and a response may share one). */
  private static final Map<String, List<Class<?>>> RECORD_SCHEMAS = new LinkedHashMap<>();

  static {
    RECORD_SCHEMAS.put("ErrorBody", List.of(ApiError.Body.class));
    RECORD_SCHEMAS.put("Conversation", List.of(Views.ConversationView.class));
    RECORD_SCHEMAS.put("ConversationDetail", List.of(Views.ConversationDetailView.class));
    RECORD_SCHEMAS.put(
        "ConversationSettings",
        List.of(Views.SettingsView.class, ConversationController.SettingsBody.class));
    RECORD_SCHEMAS.put("ConversationPage", List.of(Views.PageView.class));
    RECORD_SCHEMAS.put("Message", List.of(Views.MessageView.class));
    RECORD_SCHEMAS.put("Step", List.of(Views.StepView.class));
    RECORD_SCHEMAS.put("PostedMessage", List.of(Views.PostedMessageView.class));
    RECORD_SCHEMAS.put("Trace", List.of(TraceViews.TraceView.class));
    RECORD_SCHEMAS.put("TraceStep", List.of(TraceViews.TraceStepView.class));
    RECORD_SCHEMAS.put("Feedback", List.of(Views.FeedbackView.class));
    RECORD_SCHEMAS.put("FeedbackRequest", List.of(StepsController.FeedbackRequest.class));
    RECORD_SCHEMAS.put("StepFeedback", List.of(Views.StepFeedbackView.class));
    RECORD_SCHEMAS.put("GivenFeedback", List.of(AdminFeedbackController.GivenFeedbackView.class));
    RECORD_SCHEMAS.put("Share", List.of(SharesController.ShareView.class));
    RECORD_SCHEMAS.put(
        "SharedConversation", List.of(dev.grizz.engine.conversation.SharedSnapshot.class));
    RECORD_SCHEMAS.put(
        "SharedMessage", List.of(dev.grizz.engine.conversation.SharedSnapshot.SharedMessage.class));
    RECORD_SCHEMAS.put("SearchResults", List.of(SearchController.SearchResultsView.class));
    RECORD_SCHEMAS.put("SearchResult", List.of(SearchController.SearchResultView.class));
    RECORD_SCHEMAS.put("ConversationExport", List.of(ExportController.ExportView.class));
    RECORD_SCHEMAS.put("RegenerateRequest", List.of(StepsController.RegenerateRequest.class));
    RECORD_SCHEMAS.put("Regenerated", List.of(StepsController.RegeneratedView.class));
    RECORD_SCHEMAS.put(
        "CreateConversationRequest", List.of(ConversationController.CreateRequest.class));
    RECORD_SCHEMAS.put(
        "UpdateConversationRequest", List.of(ConversationController.UpdateRequest.class));
    RECORD_SCHEMAS.put("PostMessageRequest", List.of(ConversationController.MessageRequest.class));
    RECORD_SCHEMAS.put("LoginRequest", List.of(AuthController.LoginRequest.class));
    RECORD_SCHEMAS.put("RefreshRequest", List.of(AuthController.RefreshRequest.class));
    RECORD_SCHEMAS.put("SignUpRequest", List.of(AuthController.SignUpRequest.class));
    RECORD_SCHEMAS.put("CreateApiKeyRequest", List.of(ApiKeysController.CreateRequest.class));
    RECORD_SCHEMAS.put(
        "Budget", List.of(ApiKeysController.BudgetRequest.class, Budgets.Limits.class));
    RECORD_SCHEMAS.put("Model", List.of(ModelsController.ModelView.class));
    RECORD_SCHEMAS.put("Tool", List.of(ToolController.ToolView.class));
    RECORD_SCHEMAS.put("UsageSummary", List.of(UsageSummary.class));
    RECORD_SCHEMAS.put("UsageRow", List.of(UsageSummary.Row.class));
    RECORD_SCHEMAS.put("ProviderHealth", List.of(LlmRouter.ProviderHealth.class));
    RECORD_SCHEMAS.put("ReviewRequest", List.of(AdminModerationController.ReviewRequest.class));
    RECORD_SCHEMAS.put("Violation", List.of(ViolationLog.Violation.class));
  }

  private final OpenApiDocument document = OpenApiDocument.fromClasspath();

  @Test
  void schemasNameTheFieldsOfTheRecordsTheyDescribe() {
    SoftAssertions soft = new SoftAssertions();
    RECORD_SCHEMAS.forEach(
        (name, records) -> {
          Set<String> documented = document.propertyNames(document.schema(name));
          for (Class<?> record : records) {
            soft.assertThat(documented)
                .as("properties of schema %s against %s", name, record.getName())
                .isEqualTo(OpenApiDocument.wireNames(record));
          }
        });
    soft.assertAll();
  }

  @Test
  void theEventSchemaListsExactlyTheEventTypesOfEventData() throws ReflectiveOperationException {
    Map<String, String> expected = new TreeMap<>();
    for (Class<?> type : EventData.class.getPermittedSubclasses()) {
      expected.put((String) type.getField("TYPE").get(null), ref(type.getSimpleName() + "Event"));
    }

    JsonNode event = document.schema("Event");
    Set<String> oneOf = new TreeSet<>();
    event.path("oneOf").forEach(option -> oneOf.add(option.path("$ref").asText()));
    Map<String, String> mapping = new TreeMap<>();
    event
        .path("discriminator")
        .path("mapping")
        .properties()
        .forEach(entry -> mapping.put(entry.getKey(), entry.getValue().asText()));

    assertThat(event.path("discriminator").path("propertyName").asText()).isEqualTo("type");
    assertThat(mapping).as("Event's discriminator mapping").isEqualTo(expected);
    assertThat(oneOf).as("Event's oneOf").isEqualTo(new TreeSet<>(expected.values()));
  }

  @Test
  void eachEventSchemaHasItsTypeAndTheFieldsOfItsRecord() throws ReflectiveOperationException {
    SoftAssertions soft = new SoftAssertions();
    for (Class<?> type : EventData.class.getPermittedSubclasses()) {
      String name = type.getSimpleName();
      String wireType = (String) type.getField("TYPE").get(null);
      JsonNode schema = document.schema(name + "Event");
      // The error frame goes to one client outside the log: no envelope. Every other is logged.
      boolean framed = type != EventData.Error.class;
      JsonNode own = schema;
      if (framed) {
        soft.assertThat(schema.path("allOf").path(0).path("$ref").asText())
            .as(name + "Event extends the envelope")
            .isEqualTo(ref("EventEnvelope"));
        own = schema.path("allOf").path(1);
      }
      soft.assertThat(own.path("properties").path("type").path("const").asText())
          .as(name + "Event's type")
          .isEqualTo(wireType);
      soft.assertThat(own.path("properties").path("data").path("$ref").asText())
          .as(name + "Event's data")
          .isEqualTo(ref(name + "Data"));
      soft.assertThat(document.propertyNames(document.schema(name + "Data")))
          .as("properties of " + name + "Data against " + type.getName())
          .isEqualTo(OpenApiDocument.wireNames(type));
    }
    soft.assertAll();
  }

  @Test
  void theEnvelopeHasTheFieldsTheCodecWrites() throws ClassNotFoundException {
    // The codec's payload record is the envelope without its id, which each transport adds.
    Class<?> payload = Class.forName("dev.grizz.engine.event.EventCodec$Payload");
    assertThat(document.propertyNames(document.schema("EventEnvelope")))
        .isEqualTo(OpenApiDocument.wireNames(payload, "id"));
  }

  private static String ref(String schema) {
    return "#/components/schemas/" + schema;
  }
}
