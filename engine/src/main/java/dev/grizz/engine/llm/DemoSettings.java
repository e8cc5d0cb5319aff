package dev.grizz.engine.llm;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The offline {@code demo} provider: how fast it "types". */
@Validated
@ConfigurationProperties("grizz.demo")
record DemoSettings(
    @DecimalMin(value = "0.1", message = "must be at least 0.1")
        @DecimalMax(value = "100000", message = "must be at most 100000")
        double tokensPerSecond) {}
