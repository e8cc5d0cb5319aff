package dev.grizz.engine.backup;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Off-site copies of dumps in an S3-compatible bucket: {@code <prefix><dump name>} and its {@code
 * .sha256} object. Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, the aws.* system properties, ~/.aws files, web identity, container and
 * instance roles).
 */
final class S3Copies implements AutoCloseable {

  static final String DEFAULT_REGION = "us-east-1";

  private final S3Client s3;

  private S3Copies(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * A client for AWS ({@code endpoint} null) or any S3-compatible server. Servers other than AWS
   * get checksums only where the API requires them: the SDK's newer default (a CRC on every upload)
   * is refused by several S3-compatible servers.
   */
  static S3Copies connect(@Nullable URI endpoint, String region, boolean pathStyle) {
    var builder =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .region(Region.of(region))
            .forcePathStyle(pathStyle);
    if (endpoint != null) {
      builder
          .endpointOverride(endpoint)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return new S3Copies(builder.build());
  }

  /** For the CLI: the same GRIZZ_BACKUP_S3_* variables the engine reads. */
  static S3Copies connect(Map<String, String> env) {
    String endpoint = env.getOrDefault("GRIZZ_BACKUP_S3_ENDPOINT", "");
    String region = env.getOrDefault("GRIZZ_BACKUP_S3_REGION", "");
    String pathStyle = env.getOrDefault("GRIZZ_BACKUP_S3_PATH_STYLE", "");
    return connect(
        endpoint.isBlank() ? null : URI.create(endpoint),
        region.isBlank() ? DEFAULT_REGION : region,
        pathStyle.isBlank() ? !endpoint.isBlank() : Boolean.parseBoolean(pathStyle));
  }

  /** Uploads a dump and its checksum file; returns the dump's key. */
  String upload(String bucket, String prefix, Path dump) {
    String key = prefix + dump.getFileName();
    Path checksum = Dumps.checksumOf(dump);
    s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromFile(dump));
    s3.putObject(
        put -> put.bucket(bucket).key(key + Dumps.CHECKSUM_SUFFIX), RequestBody.fromFile(checksum));
    return key;
  }

  /** The dump keys under a prefix, oldest first (the names carry the time). */
  List<String> list(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    for (S3Object object :
        s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents()) {
      String name = object.key().substring(prefix.length());
      if (Dumps.NAME.matcher(name).matches()) {
        keys.add(object.key());
      }
    }
    keys.sort(null);
    return keys;
  }

  /** Deletes the oldest dumps under a prefix, with their checksums, so that {@code keep} remain. */
  List<String> prune(String bucket, String prefix, int keep) {
    List<String> keys = list(bucket, prefix);
    List<String> deleted = new ArrayList<>(keys.subList(0, Math.max(0, keys.size() - keep)));
    for (String key : deleted) {
      s3.deleteObject(delete -> delete.bucket(bucket).key(key + Dumps.CHECKSUM_SUFFIX));
      s3.deleteObject(delete -> delete.bucket(bucket).key(key));
    }
    return deleted;
  }

  /** Downloads a dump and its checksum file into {@code directory}; returns the local dump. */
  Path download(String bucket, String key, Path directory) throws IOException {
    String name = key.substring(key.lastIndexOf('/') + 1);
    if (!Dumps.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "s3://" + bucket + "/" + key + " is not a Grizz dump (grizz-<time>.dump)");
    }
    Files.createDirectories(directory);
    Path dump = directory.resolve(name);
    Files.deleteIfExists(dump);
    Files.deleteIfExists(Dumps.checksumOf(dump));
    s3.getObject(get -> get.bucket(bucket).key(key), ResponseTransformer.toFile(dump));
    s3.getObject(
        get -> get.bucket(bucket).key(key + Dumps.CHECKSUM_SUFFIX),
        ResponseTransformer.toFile(Dumps.checksumOf(dump)));
    return dump;
  }

  @Override
  public void close() {
    s3.close();
  }
}
