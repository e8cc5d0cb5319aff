package dev.grizz.engine.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every request must be before anything else reads it: a path in its canonical spelling
 * ({@link CanonicalPath}, else 400 {@code invalid_path}); a known method, a query string that
 * decodes and a readable content type ({@link RequestShape}); and a body no larger than {@code
 * grizz.web.max-body-bytes} however it is framed. A declared length over the limit is refused at
 * once; a chunked body (or one without a length) is counted as it is read and fails with {@link
 * BodyTooLargeException} the moment it passes the limit, so no reader ever holds more.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestLimitsFilter extends OncePerRequestFilter {

  private final WebSettings settings;

  RequestLimitsFilter(WebSettings settings) {
    this.settings = settings;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    String problem = CanonicalPath.problem(path);
    if (problem != null) {
      FilterErrors.write(response, path, 400, "invalid_path", problem);
      return;
    }
    if (!RequestShape.METHODS.contains(request.getMethod())) {
      response.setHeader("Allow", RequestShape.ALLOW);
      FilterErrors.write(
          response, path, 405, "method_not_allowed", "The engine does not serve this method.");
      return;
    }
    problem = RequestShape.queryProblem(request.getQueryString());
    if (problem != null) {
      FilterErrors.write(response, path, 400, "invalid_query", problem);
      return;
    }
    problem = RequestShape.contentTypeProblem(request.getContentType());
    if (problem != null) {
      FilterErrors.write(response, path, 415, "unsupported_media_type", problem);
      return;
    }
    // An upload's body is the file, an import's the export: their own limits.
    boolean post = request.getMethod().equals("POST");
    long limit =
        post && WebSettings.UPLOAD_PATH.matcher(path).matches()
            ? settings.maxUploadBytes()
            : post && path.equals(WebSettings.IMPORT_PATH)
                ? settings.maxImportBytes()
                : settings.maxBodyBytes();
    if (request.getContentLengthLong() > limit) {
      FilterErrors.write(
          response,
          path,
          413,
          "payload_too_large",
          "The request body is larger than " + limit + " bytes.");
      return;
    }
    chain.doFilter(new Limited(request, limit), response);
  }

  /**
   * A request whose body stream fails once it has given {@code limit} bytes and wants to give more.
   */
  private static final class Limited extends HttpServletRequestWrapper {

    private final long limit;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), limit);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset;
      try {
        charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      } catch (IllegalArgumentException e) {
        throw new java.io.UnsupportedEncodingException(encoding);
      }
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class Counting extends ServletInputStream {

    private final ServletInputStream in;
    private final long limit;
    private long read;

    Counting(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, (int) Math.min(length, limit - read + 1));
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      read += n;
      if (read > limit) {
        throw new BodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
