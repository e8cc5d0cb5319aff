package dev.grizz.engine.security;

import dev.grizz.engine.config.SettingException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What browsers and request bodies may do.
 *
 * @param allowedOrigins other origins that may call the API and open WebSockets (patterns such as
 *     {@code https://*.example.com} or {@code http://127.0.0.1:[*]}); the engine's own origin
 *     always may, and so may clients that send no Origin (servers, SDKs)
 * @param maxBodyBytes the largest request body accepted
 * @param maxJsonDepth the deepest nesting of objects and arrays a JSON body may have
 * @param maxUploadBytes the largest file a user may upload to a conversation (its own route's body
 *     limit)
 * @param maxImportBytes the largest export a user may import ({@code conversations.json}, its own
 *     route's body limit)
 */
@ConfigurationProperties("grizz.web")
public record WebSettings(
    @Nullable List<String> allowedOrigins,
    int maxBodyBytes,
    int maxJsonDepth,
    int maxUploadBytes,
    int maxImportBytes) {

  /** The upload route, whose body is a file: {@code POST /api/v1/conversations/{id}/files}. */
  public static final java.util.regex.Pattern UPLOAD_PATH =
      java.util.regex.Pattern.compile("/api/v1/conversations/[^/]+/files");

  /** The import route, whose body is an export: {@code POST /api/v1/conversations/import}. */
  public static final String IMPORT_PATH = "/api/v1/conversations/import";

  public WebSettings {
    allowedOrigins =
        allowedOrigins == null
            ? List.of()
            : allowedOrigins.stream().filter(o -> !o.isBlank()).map(String::strip).toList();
    SettingException.min("grizz.web.max-body-bytes", maxBodyBytes, 1024);
    SettingException.max("grizz.web.max-body-bytes", maxBodyBytes, 104_857_600);
    SettingException.min("grizz.web.max-json-depth", maxJsonDepth, 4);
    SettingException.max("grizz.web.max-json-depth", maxJsonDepth, 1000);
    SettingException.min("grizz.web.max-upload-bytes", maxUploadBytes, 1024);
    SettingException.max("grizz.web.max-upload-bytes", maxUploadBytes, 104_857_600);
    SettingException.min("grizz.web.max-import-bytes", maxImportBytes, 1024);
    SettingException.max("grizz.web.max-import-bytes", maxImportBytes, 536_870_912);
  }
}
