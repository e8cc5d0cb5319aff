package dev.grizz.engine.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's HTTP API as an OpenAPI 3.1 document, open to anyone. Written by hand ({@value
 * #DOCUMENT}) rather than generated: the {@code /v1} routes take JSON trees that a generator would
 * describe as bare objects, and a generator would add weight to every start-up (AOT included).
 * OpenApiDocumentIT keeps it honest: every route in both directions, the response shapes against
 * the records that write them, the event types against {@code EventData}. The JSON form is the same
 * document, converted once at start-up.
 */
@RestController
class OpenApiController {

  static final String DOCUMENT = "openapi/openapi.yaml";

  static final MediaType YAML = MediaType.parseMediaType("application/yaml");

  private final byte[] yaml;
  private final byte[] json;

  OpenApiController() {
    try {
      yaml = new ClassPathResource(DOCUMENT).getContentAsByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document " + DOCUMENT + " is missing", e);
    }
    // SnakeYAML is on the class path already (Boot reads YAML settings with it); the safe
    // constructor builds plain maps, lists and scalars only.
    Object tree =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(new String(yaml, StandardCharsets.UTF_8));
    json = JsonMapper.builder().build().writeValueAsBytes(tree);
  }

  @GetMapping("/openapi.yaml")
  ResponseEntity<byte[]> yaml() {
    return document(YAML, yaml);
  }

  @GetMapping("/openapi.json")
  ResponseEntity<byte[]> json() {
    return document(MediaType.APPLICATION_JSON, json);
  }

  private static ResponseEntity<byte[]> document(MediaType type, byte[] body) {
    // Set here, not negotiated: any Accept gets the document in the form its path names.
    return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noCache()).body(body);
  }
}
