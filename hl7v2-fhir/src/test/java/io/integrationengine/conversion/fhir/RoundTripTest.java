package io.integrationengine.conversion.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.datatype.DataTypes;
import io.integrationengine.conversion.fhir.datatype.DateTimes;
import io.integrationengine.conversion.fhir.datatype.IdentifierSystems;
import io.integrationengine.conversion.fhir.datatype.Units;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import io.integrationengine.conversion.fhir.er7.SegmentedMessage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * HL7v2 -> FHIR -> HL7v2 over the whole corpus: every message with a patient goes back as ADT^A08,
 * every message with results as ORU^R01; HAPI HL7v2 reads each output, and the key fields come
 * back: PID-3 (value, type, assigning authority as FHIR keeps it), PID-5 (family, given, further
 * given), PID-7, PID-8, PV1-2, PV1-3 (point of care, room, bed, facility, building, floor), OBX-3,
 * OBX-5, OBX-6, OBX-8, OBX-11. Where HL7v2 -> FHIR normalises (a UCUM spelling, an offset-less
 * birth time kept to the day, an authority given as OID), the comparison is with what FHIR holds.
 */
class RoundTripTest {

  private static final Set<String> SEXES = Set.of("M", "F", "O", "U");
  private final Hl7v2ToFhirConverter toFhir = new Hl7v2ToFhirConverter();
  private final FhirToHl7v2Converter toV2 = new FhirToHl7v2Converter();
  private final HapiContext hapi = new DefaultHapiContext();

  {
    hapi.setValidationContext(ValidationContextFactory.noValidation());
  }

  @Test
  void theCorpusComesBackWithItsKeyFields() throws Exception {
    List<String> differences = new ArrayList<>();
    TreeMap<String, Integer> compared = new TreeMap<>();
    int adts = 0;
    int orus = 0;
    for (Corpus.Sample sample : Corpus.all()) {
      ConversionResult forward;
      try {
        forward = toFhir.convert(sample.text());
      } catch (ConversionException e) {
        continue;
      }
      SegmentedMessage original = SegmentedMessage.parse(sample.text());
      Bundle bundle = forward.bundle();
      if (has(bundle, Patient.class)) {
        String adt = toV2.convert(bundle, Hl7v2Event.ADT_A08);
        Message parsed = hapi.getPipeParser().parse(adt);
        assertThat(parsed.getName()).as(sample.name()).isEqualTo("ADT_A01");
        comparePatient(
            sample.name(), original, SegmentedMessage.parse(adt), bundle, differences, compared);
        adts++;
      }
      List<Observation> observations = all(bundle, Observation.class);
      List<Er7Segment> obxs = segments(original, "OBX");
      // OBX that are document content (MDM) or have no patient make no Observation: nothing to
      // compare
      if (!observations.isEmpty() && observations.size() == obxs.size()) {
        String oru = toV2.convert(bundle, Hl7v2Event.ORU_R01);
        Message parsed = hapi.getPipeParser().parse(oru);
        assertThat(parsed.getName()).as(sample.name()).isEqualTo("ORU_R01");
        List<Er7Segment> back = segments(SegmentedMessage.parse(oru), "OBX");
        assertThat(back).as(sample.name()).hasSameSizeAs(obxs);
        List<Observation> emitted = emissionOrder(bundle, observations);
        for (int j = 0; j < back.size(); j++) {
          int i = observations.indexOf(emitted.get(j));
          compareObx(
              sample.name() + " OBX " + (i + 1), obxs.get(i), back.get(j), differences, compared);
        }
        orus++;
      }
    }
    System.out.println(
        "Round trip: " + adts + " ADT^A08, " + orus + " ORU^R01; fields compared " + compared);
    assertThat(differences).isEmpty();
    // 494 messages, of which 278 have a patient and 140 results (measured 2026-11-27)
    assertThat(adts).isGreaterThanOrEqualTo(278);
    assertThat(orus).isGreaterThanOrEqualTo(140);
  }

  private void comparePatient(
      String name,
      SegmentedMessage original,
      SegmentedMessage back,
      Bundle bundle,
      List<String> differences,
      TreeMap<String, Integer> compared) {
    Er7Segment pid = first(original, "PID");
    Er7Segment pid2 = first(back, "PID");
    for (Er7Field cx : pid.fields(3)) {
      if (cx.comp(1) == null) {
        continue;
      }
      count(compared, "PID-3");
      boolean found =
          pid2.fields(3).stream()
              .anyMatch(
                  rt ->
                      Objects.equals(cx.comp(1), rt.comp(1))
                          && Objects.equals(cx.comp(5), rt.comp(5))
                          && Objects.equals(authority(cx), authority(rt)));
      if (!found) {
        differences.add(
            name
                + " PID-3 "
                + cx.raw()
                + " not in "
                + pid2.fields(3).stream().map(Er7Field::raw).toList());
      }
    }
    Er7Field xpn = pid.field(5);
    if (xpn != null && (xpn.sub(1, 1) != null || xpn.comp(2) != null)) {
      Er7Field rt = pid2.field(5);
      for (int[] part : new int[][] {{1, 1}, {2, 1}, {3, 1}}) {
        count(compared, "PID-5." + part[0]);
        String was = xpn.sub(part[0], part[1]);
        String is = rt == null ? null : rt.sub(part[0], part[1]);
        if (!Objects.equals(was, is)) {
          differences.add(name + " PID-5." + part[0] + " " + was + " -> " + is);
        }
      }
    }
    String dob = pid.value(7);
    if (dob != null && DateTimes.date(dob) != null) {
      count(compared, "PID-7");
      if (!birth(dob).equals(birth(pid2.value(7)))) {
        differences.add(name + " PID-7 " + dob + " -> " + pid2.value(7));
      }
    }
    String sex = pid.value(8);
    if (sex != null && ConceptMaps.code("AdministrativeSex", sex).isPresent()) {
      count(compared, "PID-8");
      boolean same =
          SEXES.contains(sex)
              ? sex.equals(pid2.value(8))
              : ConceptMaps.code("AdministrativeSex", sex)
                  .equals(ConceptMaps.code("AdministrativeSex", pid2.value(8)));
      if (!same) {
        differences.add(name + " PID-8 " + sex + " -> " + pid2.value(8));
      }
    }
    Er7Segment pv1 = first(original, "PV1");
    if (pv1 != null && has(bundle, Encounter.class)) {
      Er7Segment pv1b = first(back, "PV1");
      String patientClass = pv1.value(2);
      if (patientClass != null
          && ConceptMaps.code("PatientClass[EncounterClass]", patientClass).isPresent()) {
        count(compared, "PV1-2");
        if (!patientClass.equals(pv1b.value(2))) {
          differences.add(name + " PV1-2 " + patientClass + " -> " + pv1b.value(2));
        }
      }
      String location = locationName(pv1.field(3));
      if (location != null) {
        count(compared, "PV1-3");
        // point of care, room, bed, facility, building, floor
        String was = levels(pv1.field(3));
        String is = levels(pv1b.field(3));
        if (!was.equals(is)) {
          differences.add(name + " PV1-3 " + was + " -> " + is);
        }
      }
    }
  }

  private static void compareObx(
      String name,
      Er7Segment obx,
      Er7Segment back,
      List<String> differences,
      TreeMap<String, Integer> compared) {
    if (obx.value(3, 1) != null) {
      count(compared, "OBX-3");
      if (!Objects.equals(obx.value(3, 1), back.value(3, 1))
          || !DataTypes.coding(obx.value(3, 1), obx.value(3, 2), obx.value(3, 3))
              .equalsDeep(DataTypes.coding(back.value(3, 1), back.value(3, 2), back.value(3, 3)))) {
        differences.add(name + " OBX-3 " + obx.field(3).raw() + " -> " + back.field(3).raw());
      }
    }
    String type = obx.value(2) == null ? "ST" : obx.value(2);
    String value = obx.value(5, 1);
    Boolean same = value == null ? null : sameValue(type, obx, back);
    if (same != null) {
      count(compared, "OBX-5 " + type);
      if (!same) {
        differences.add(
            name
                + " OBX-5 ("
                + type
                + ") "
                + obx.field(5).raw()
                + " -> "
                + (back.field(5) == null ? null : back.field(5).raw()));
      }
    }
    String unit = obx.value(6, 1);
    if (unit != null
        && ("NM".equals(type) || "SN".equals(type))
        && DataTypes.decimal(obx.value(5, 1)) != null) {
      count(compared, "OBX-6");
      String expected = Units.ucum(unit).orElse(obx.value(6, 2) != null ? obx.value(6, 2) : unit);
      if (!expected.equals(back.value(6, 1))) {
        differences.add(
            name
                + " OBX-6 "
                + obx.field(6).raw()
                + " -> "
                + (back.field(6) == null ? null : back.field(6).raw()));
      }
    }
    List<String> flags = new ArrayList<>();
    for (Er7Field flag : obx.fields(8)) {
      if (flag.comp(1) != null) {
        flags.add(
            ConceptMaps.code("InterpretationCodes", flag.comp(1)).isPresent()
                ? flag.comp(1)
                : flag.comp(2) != null ? flag.comp(2) : flag.comp(1));
      }
    }
    if (!flags.isEmpty()) {
      count(compared, "OBX-8");
      List<String> backFlags = back.fields(8).stream().map(f -> f.comp(1)).toList();
      if (!flags.equals(backFlags)) {
        differences.add(name + " OBX-8 " + flags + " -> " + backFlags);
      }
    }
    String status = obx.value(11);
    if (status != null) {
      count(compared, "OBX-11");
      // codes the IG leaves unmapped become FHIR "unknown", which has no v2 code
      String expected =
          ConceptMaps.code("ObservationResultStatusCodesInterpretation", status).isPresent()
              ? status
              : null;
      if (!Objects.equals(expected, back.value(11))) {
        differences.add(name + " OBX-11 " + status + " -> " + back.value(11));
      }
    }
  }

  /**
   * The order ORU^R01 writes results in: each DiagnosticReport's results, then those outside any
   * report. Observations are made in OBX order, so the i-th Observation is the i-th OBX.
   */
  private static List<Observation> emissionOrder(Bundle bundle, List<Observation> observations) {
    Map<String, Resource> byUrl = new HashMap<>();
    bundle.getEntry().forEach(e -> byUrl.put(e.getFullUrl(), e.getResource()));
    LinkedHashSet<Observation> order = new LinkedHashSet<>();
    for (DiagnosticReport report : all(bundle, DiagnosticReport.class)) {
      report
          .getResult()
          .forEach(
              r -> {
                if (byUrl.get(r.getReference()) instanceof Observation o) {
                  order.add(o);
                }
              });
    }
    order.addAll(observations);
    return List.copyOf(order);
  }

  /** Whether OBX-5 came back, or null for value types not compared (SN, ED, RP, ...). */
  private static Boolean sameValue(String type, Er7Segment obx, Er7Segment back) {
    String value = obx.value(5, 1);
    return switch (type) {
      case "NM" -> DataTypes.decimal(value) == null ? null : equalNumbers(value, back.value(5, 1));
      case "CE", "CWE", "CNE" -> value.equals(back.value(5, 1));
      case "ST", "TX", "FT" -> forwardText(obx).equals(text(back));
      case "DT", "DTM", "TS" -> {
        var sent = DateTimes.dateTime(value);
        var returned = back.value(5, 1) == null ? null : DateTimes.dateTime(back.value(5, 1));
        yield sent == null
            ? null
            : returned != null && sent.getValueAsString().equals(returned.getValueAsString());
      }
      default -> null;
    };
  }

  /** OBX-5 text as HL7v2 -> FHIR joins it: components by ^, repetitions and \.br\ as lines. */
  private static String forwardText(Er7Segment obx) {
    List<String> parts = new ArrayList<>();
    for (Er7Field field : obx.fields(5)) {
      StringBuilder all = new StringBuilder(field.comp(1) == null ? "" : field.comp(1));
      for (int c = 2; c <= 10; c++) {
        if (field.comp(c) != null) {
          all.append('^').append(field.comp(c));
        }
      }
      String text = all.toString().replace("\\.br\\", "\n");
      if (!text.isBlank()) {
        parts.add(text);
      }
    }
    return String.join("\n", parts);
  }

  private static String text(Er7Segment obx) {
    return obx.value(5, 1) == null ? null : obx.value(5, 1).replace("\\.br\\", "\n");
  }

  private static boolean equalNumbers(String a, String b) {
    return b != null
        && DataTypes.decimal(b) != null
        && new BigDecimal(DataTypes.decimal(a).toPlainString()).compareTo(DataTypes.decimal(b))
            == 0;
  }

  /** The identifier system HL7v2 -> FHIR gives the CX's authority, else its namespace. */
  private static String authority(Er7Field cx) {
    String system = IdentifierSystems.system(cx.sub(4, 1), cx.sub(4, 2), cx.sub(4, 3));
    return system != null ? system : cx.sub(4, 1);
  }

  /** A birth date as FHIR keeps it: the day, plus the time when it came with an offset. */
  private static String birth(String dtm) {
    if (dtm == null || DateTimes.date(dtm) == null) {
      return "";
    }
    DateTimes.Parsed parsed = DateTimes.parse(dtm);
    return DateTimes.date(dtm).getValueAsString()
        + (parsed.hasTime() && parsed.hasOffset() ? " " + parsed.dateTime() : "");
  }

  private static String levels(Er7Field pl) {
    if (pl == null) {
      return "";
    }
    return String.join(
        "^",
        String.valueOf(pl.sub(1, 1)),
        String.valueOf(pl.comp(2)),
        String.valueOf(pl.comp(3)),
        String.valueOf(pl.sub(4, 1)),
        String.valueOf(pl.comp(7)),
        String.valueOf(pl.comp(8)));
  }

  /** PL as HL7v2 -> FHIR names its Location. */
  private static String locationName(Er7Field pl) {
    if (pl == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (int component : new int[] {1, 2, 3, 4, 7, 8, 9}) {
      String part = component == 1 || component == 4 ? pl.sub(component, 1) : pl.comp(component);
      if (part != null) {
        parts.add(part);
      }
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  private static void count(TreeMap<String, Integer> compared, String field) {
    compared.merge(field, 1, Integer::sum);
  }

  private static Er7Segment first(SegmentedMessage message, String name) {
    return message.segments().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  private static List<Er7Segment> segments(SegmentedMessage message, String name) {
    return message.segments().stream().filter(s -> s.name().equals(name)).toList();
  }

  private static boolean has(Bundle bundle, Class<? extends Resource> type) {
    return !all(bundle, type).isEmpty();
  }

  private static <T extends Resource> List<T> all(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
