package dev.grizz.engine.llm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Runs one upstream attempt for the router: a watchdog cancels it when no first token comes in
 * time, and the result is timed, measured, reported to the provider's guard, its usage estimated
 * where the vendor reported none, and priced. Each attempt is an {@code llm.attempt} span, a child
 * of whatever span is current (the worker's step, or a {@code /v1} request).
 */
final class AttemptRunner {

  private final Map<String, LlmProvider> providers;
  private final PriceTable prices;
  private final TokenCounter tokens;
  private final Clock clock;
  private final Duration firstTokenTimeout;
  private final MeterRegistry meters;
  private final ProviderGuard guard;
  private final RouteOrder order;
  private final Tracer tracer;

  AttemptRunner(
      Map<String, LlmProvider> providers,
      PriceTable prices,
      TokenCounter tokens,
      Clock clock,
      Duration firstTokenTimeout,
      MeterRegistry meters,
      ProviderGuard guard,
      RouteOrder order,
      Tracer tracer) {
    this.tracer = tracer;
    this.providers = providers;
    this.prices = prices;
    this.tokens = tokens;
    this.clock = clock;
    this.firstTokenTimeout = firstTokenTimeout;
    this.meters = meters;
    this.guard = guard;
    this.order = order;
  }

  /**
   * Runs {@code request} (already fitted to what the candidate honours) at the candidate; what it
   * streams goes to {@code sink} and is gathered in {@code answer}. Any piece (text, reasoning or a
   * tool call) is the first token: a model that thinks before it writes has started.
   */
  Attempt run(
      ModelRef candidate,
      LlmRequest request,
      AnswerBuffer answer,
      DeltaSink sink,
      CancelSignal cancel) {
    LlmProvider provider = providers.get(candidate.provider());
    LlmRequest routed = request.withModel(candidate.model());
    CancelSignal attemptCancel = cancel.child();
    CountDownLatch firstToken = new CountDownLatch(1);
    AtomicBoolean timedOut = new AtomicBoolean();
    AtomicLong firstTokenAt = new AtomicLong(-1);
    Thread watchdog =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    if (!firstToken.await(firstTokenTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                      timedOut.set(true);
                      attemptCancel.cancel();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Span span =
        tracer
            .spanBuilder("llm.attempt")
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(AttemptSpans.PROVIDER, candidate.provider())
            .setAttribute(AttemptSpans.MODEL, candidate.model())
            .startSpan();
    sink.attempting(candidate);
    long started = System.nanoTime();
    LlmOutcome outcome;
    try {
      Runnable firstPiece =
          () -> {
            if (firstTokenAt.compareAndSet(-1, System.nanoTime())) {
              firstToken.countDown();
            }
          };
      outcome =
          provider.stream(
              routed,
              new DeltaSink() {
                @Override
                public void accept(String text) {
                  firstPiece.run();
                  answer.accept(text);
                  sink.accept(text);
                }

                @Override
                public void reasoning(String text) {
                  firstPiece.run();
                  answer.reasoning(text);
                  sink.reasoning(text);
                }

                @Override
                public void toolCall(ToolCallDelta delta) {
                  firstPiece.run();
                  answer.toolCall(delta);
                  sink.toolCall(delta);
                }

                @Override
                public void thinkingSignature(String signature) {
                  answer.thinkingSignature(signature);
                  sink.thinkingSignature(signature);
                }

                @Override
                public void redactedThinking(String data) {
                  firstPiece.run();
                  answer.redactedThinking(data);
                  sink.redactedThinking(data);
                }
              },
              attemptCancel);
    } catch (InvalidRequestException invalid) {
      // The request cannot be written for this vendor (a stored tool call whose arguments are not
      // JSON, for Anthropic): the caller's to fix, a 400, not the upstream's failure.
      span.end();
      throw invalid;
    } catch (RuntimeException unexpected) {
      outcome = UpstreamErrors.unreachable(String.valueOf(unexpected.getMessage()), Usage.UNKNOWN);
    } finally {
      firstToken.countDown();
      watchdog.interrupt();
    }
    long ended = System.nanoTime();
    if (timedOut.get() && !cancel.isCancelled() && firstTokenAt.get() < 0) {
      outcome =
          new LlmOutcome.Failed(
              ErrorCode.UPSTREAM_TIMEOUT,
              "no first token within " + firstTokenTimeout.toSeconds() + " s",
              true,
              outcome.usage());
    }
    guard.record(candidate.provider(), outcome, Duration.ofNanos(ended - started));
    Usage usage = withEstimates(outcome.usage(), routed, answer);
    BigDecimal cents =
        prices
            .priceOn(candidate.provider(), candidate.model(), LocalDate.now(clock))
            .map(price -> price.costCents(usage))
            .orElse(BigDecimal.ZERO);
    Duration ttft = firstTokenAt.get() < 0 ? null : Duration.ofNanos(firstTokenAt.get() - started);
    measure(candidate, outcome, ttft, Duration.ofNanos(ended - started), cents);
    if (ttft != null) {
      order.recordFirstToken(candidate, ttft);
    }
    AttemptSpans.end(span, outcome, usage, ttft);
    return new Attempt(
        candidate.provider(),
        candidate.model(),
        outcome,
        usage,
        cents,
        ttft,
        Duration.ofNanos(ended - started));
  }

  private void measure(
      ModelRef candidate,
      LlmOutcome outcome,
      @Nullable Duration ttft,
      Duration total,
      BigDecimal cents) {
    if (ttft != null) {
      Timer.builder("grizz.first.token")
          .description("Time from calling a provider to its first token")
          .tags("provider", candidate.provider(), "model", candidate.model())
          .register(meters)
          .record(ttft);
    }
    String result =
        switch (outcome) {
          case LlmOutcome.Completed done -> "completed";
          case LlmOutcome.Cancelled cancelled -> "cancelled";
          case LlmOutcome.Failed failed -> "failed";
        };
    Timer.builder("grizz.stream.duration")
        .description("Time from calling a provider to the end of its stream")
        .tags("provider", candidate.provider(), "model", candidate.model(), "outcome", result)
        .register(meters)
        .record(total);
    if (outcome instanceof LlmOutcome.Failed failed) {
      meters
          .counter("grizz.provider.errors", "provider", candidate.provider(), "code", failed.code())
          .increment();
    }
    meters
        .counter("grizz.usage.cents", "provider", candidate.provider(), "model", candidate.model())
        .increment(cents.doubleValue());
  }

  private Usage withEstimates(Usage reported, LlmRequest request, AnswerBuffer answer) {
    if (reported.complete()) {
      return reported;
    }
    Integer prompt = reported.promptTokens();
    Integer completion = reported.completionTokens();
    return new Usage(
        prompt != null ? prompt : tokens.count(request),
        completion != null ? completion : tokens.count(answer),
        true,
        reported.cachedPromptTokens(),
        reported.reasoningTokens(),
        reported.cacheWriteTokens());
  }
}
