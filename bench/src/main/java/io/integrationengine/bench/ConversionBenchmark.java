package io.integrationengine.bench;

import io.integrationengine.conversion.fhir.FhirToHl7v2Converter;
import io.integrationengine.conversion.fhir.Hl7v2Event;
import io.integrationengine.conversion.fhir.Hl7v2ToFhirConverter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HL7v2 -> FHIR R4 and back, per message, single-threaded: the converter's own cost, without the
 * pipeline around it. Samples from {@code testdata/} (run from the repository root, or set
 * {@code -Dtestdata=DIR}). Run with {@code bench/jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConversionBenchmark {

  private final Hl7v2ToFhirConverter toFhir = new Hl7v2ToFhirConverter();
  private final FhirToHl7v2Converter toHl7v2 = new FhirToHl7v2Converter();
  private String adtA01;
  private String oruR01;
  private Bundle adtBundle;
  private Bundle oruBundle;

  @Setup
  public void readSamples() throws IOException {
    Path testdata = Path.of(System.getProperty("testdata", "testdata"));
    adtA01 = sample(testdata.resolve("hl7v2/microsoft-fhir-converter/ADT-A01-01.hl7"));
    oruR01 = sample(testdata.resolve("hl7v2/microsoft-fhir-converter/LAB-ORU-1.hl7"));
    adtBundle = toFhir.convert(adtA01).bundle();
    oruBundle = toFhir.convert(oruR01).bundle();
  }

  private static String sample(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return (text.startsWith("\uFEFF") ? text.substring(1) : text).replace("\r\n", "\r").replace('\n', '\r');
  }

  @Benchmark
  public Bundle adtA01ToFhir() {
    return toFhir.convert(adtA01).bundle();
  }

  @Benchmark
  public Bundle oruR01ToFhir() {
    return toFhir.convert(oruR01).bundle();
  }

  @Benchmark
  public String adtBundleToHl7v2() {
    return toHl7v2.convert(adtBundle, Hl7v2Event.ADT_A01);
  }

  @Benchmark
  public String oruBundleToHl7v2() {
    return toHl7v2.convert(oruBundle, Hl7v2Event.ORU_R01);
  }
}
