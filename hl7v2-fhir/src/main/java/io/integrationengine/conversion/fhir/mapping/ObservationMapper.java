package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.ConceptMaps;
import io.integrationengine.conversion.fhir.datatype.DataTypes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * OBX to Observation (IG OBX[Observation]): code, value[x] chosen by OBX-2 (NM and SN to Quantity,
 * Range or Ratio with UCUM units where known, CWE to CodeableConcept, text types to string, DTM to
 * dateTime), reference range, interpretation, status, effective time, performer. The Observation
 * joins the current DiagnosticReport and, for OBX after SPM, the current Specimen; in MDM messages
 * the OBX is document content and goes to the DocumentReference instead. Without an OBX-21 instance
 * identifier, the Observation gets one derived from its order (or visit) and code, so a resent
 * result updates the same Observation.
 */
public final class ObservationMapper implements SegmentMapper {

  private static final Pattern RANGE =
      Pattern.compile("\\s*([+-]?\\d*\\.?\\d+)\\s*-\\s*([+-]?\\d*\\.?\\d+)\\s*");
  private static final Pattern BOUND =
      Pattern.compile("\\s*(<=|>=|<|>)\\s*([+-]?\\d*\\.?\\d+)\\s*");

  @Override
  public Set<String> segments() {
    return Set.of("OBX");
  }

  @Override
  public void map(Er7Segment obx, ConversionContext context) {
    if ("MDM".equals(context.messageType()) && context.document() != null) {
      DocumentReferenceMapper.addContent(obx, context);
      return;
    }
    if (context.patientReference() == null) {
      return;
    }
    obx.handled();
    obx.use(1, 4);
    Observation observation = new Observation();
    CodeableConcept code = context.types().codeableConcept(obx.field(3));
    observation.setCode(code != null ? code : new CodeableConcept().setText("unknown"));
    observation.setStatus(status(obx.value(11)));
    observation.setSubject(context.patientReference());
    if (context.encounterReference() != null) {
      observation.setEncounter(context.encounterReference());
    }
    value(obx, observation, context);
    referenceRange(obx, observation);
    for (Er7Field interpretation : obx.fields(8)) {
      CodeableConcept concept = new CodeableConcept();
      ConceptMaps.map("InterpretationCodes", interpretation.comp(1)).ifPresent(concept::addCoding);
      if (!concept.hasCoding()) {
        concept.setText(
            interpretation.comp(2) != null ? interpretation.comp(2) : interpretation.comp(1));
      }
      observation.addInterpretation(concept);
    }
    DateTimeType effective = context.types().dateTime(obx, 14);
    if (effective == null
        && context.report() != null
        && context.report().hasEffectiveDateTimeType()) {
      effective = context.report().getEffectiveDateTimeType().copy();
    }
    if (effective != null) {
      observation.setEffective(effective);
    }
    for (Er7Field xcn : obx.fields(16)) {
      Reference performer = context.practitioner(xcn);
      if (performer != null) {
        observation.addPerformer(performer);
      }
    }
    String lab = obx.value(23, 1);
    if (lab != null) {
      observation.addPerformer(context.organization(lab, null));
    }
    Reference director = context.practitioner(obx.field(25));
    if (director != null) {
      observation.addPerformer(director);
    }
    CodeableConcept method = context.types().codeableConcept(obx.field(17));
    if (method != null) {
      observation.setMethod(method);
    }
    CodeableConcept bodySite = context.types().codeableConcept(obx.field(20));
    if (bodySite != null) {
      observation.setBodySite(bodySite);
    }
    Identifier instance = context.types().entityIdentifier(obx.field(21));
    if (instance == null) {
      instance = context.derivedIdentifier("Observation", code(observation) + "|" + obx.value(4));
    }
    if (instance != null) {
      observation.addIdentifier(instance);
    }
    if (context.specimenReference() != null) {
      observation.setSpecimen(context.specimenReference());
    }
    if (context.immunization() != null) {
      observation.addPartOf(context.immunizationReference());
    }
    if (context.orderReference() != null && context.report() == null) {
      observation.addBasedOn(context.orderReference());
    }
    Reference reference = context.add(observation, instance);
    if (context.report() != null) {
      context.report().addResult(new Reference(reference.getReference()));
    }
    context.setObservation(observation);
  }

  private static String code(Observation observation) {
    var coding = observation.getCode().getCodingFirstRep();
    return coding.hasCode()
        ? coding.getSystem() + "|" + coding.getCode()
        : observation.getCode().getText();
  }

  /** OBX-11 through the IG's map; codes the IG leaves unmapped (I, R, S, ...) give "unknown". */
  private static ObservationStatus status(String v2) {
    return ConceptMaps.code("ObservationResultStatusCodesInterpretation", v2)
        .map(ObservationStatus::fromCode)
        .orElse(ObservationStatus.UNKNOWN);
  }

  private void value(Er7Segment obx, Observation observation, ConversionContext context) {
    List<Er7Field> values = obx.fields(5);
    if (values.isEmpty()) {
      return;
    }
    String type = obx.value(2);
    type = type == null ? "ST" : type.toUpperCase();
    Er7Field units = obx.field(6);
    String unit = units == null ? null : units.comp(1);
    String unitText = units == null ? null : units.comp(2);
    Er7Field first = values.get(0);
    Type value =
        switch (type) {
          case "NM" -> numeric(first.comp(1), unit, unitText);
          case "SN" -> structuredNumeric(first, unit, unitText);
          case "NR" -> range(first, unit, unitText);
          case "DR" ->
              context.types().period(first.sub(1, 1), first.sub(2, 1), "OBX-5", obx.position());
          case "TM" -> time(first.comp(1));
          case "CQ" ->
              numeric(first.comp(1), first.comp(2) != null ? first.comp(2) : unit, unitText);
          case "CE", "CWE", "CNE", "CF", "IS" -> context.types().codeableConcept(first);
          case "DT", "DTM", "TS" ->
              context.types().dateTime(first.comp(1), "OBX-5", obx.position());
          case "RP" -> first.comp(1) == null ? null : new StringType(first.comp(1));
          case "ST", "TX", "FT", "ID", "NA" -> text(values);
          case "ED" -> null;
          default -> text(values);
        };
    if (value == null && "SN".equals(type)) {
      value = joined(first);
    } else if (value == null && !"ED".equals(type)) {
      value = text(values);
    }
    if (value == null) {
      context.note(
          obx, 5, first.raw(), "OBX-2 " + type + " value not carried as an Observation value");
      return;
    }
    observation.setValue(value);
    boolean textual = value instanceof StringType;
    if (values.size() > 1 && !textual) {
      for (Er7Field extra : values.subList(1, values.size())) {
        context.note(obx, 5, extra.raw(), "further repetition of a single-valued OBX-5 not mapped");
      }
    }
  }

  private static Type numeric(String text, String unit, String unitText) {
    BigDecimal number = DataTypes.decimal(text);
    if (number == null) {
      return text == null ? null : new StringType(text);
    }
    return DataTypes.quantity(number, unit, unitText);
  }

  /** SN: comparator, number, separator/suffix, number. */
  private static Type structuredNumeric(Er7Field sn, String unit, String unitText) {
    String comparator = sn.comp(1);
    BigDecimal first = DataTypes.decimal(sn.comp(2));
    String separator = sn.comp(3);
    BigDecimal second = DataTypes.decimal(sn.comp(4));
    if (first == null) {
      return null;
    }
    if (separator == null || second == null) {
      Quantity quantity = DataTypes.quantity(first, unit, unitText);
      if (comparator != null && !"=".equals(comparator)) {
        try {
          quantity.setComparator(Quantity.QuantityComparator.fromCode(comparator));
        } catch (Exception e) {
          return null;
        }
      }
      return quantity;
    }
    if (":".equals(separator) || "/".equals(separator)) {
      return new Ratio()
          .setNumerator(DataTypes.quantity(first, null, null))
          .setDenominator(DataTypes.quantity(second, null, null));
    }
    if ("-".equals(separator)) {
      return new Range()
          .setLow(DataTypes.quantity(first, unit, unitText))
          .setHigh(DataTypes.quantity(second, unit, unitText));
    }
    return null;
  }

  /**
   * SN the IG keeps as text ("<>" comparator or an unknown separator): its parts joined by spaces.
   */
  private static StringType joined(Er7Field sn) {
    List<String> parts = new ArrayList<>();
    for (int c = 1; c <= 4; c++) {
      if (sn.comp(c) != null) {
        parts.add(sn.comp(c));
      }
    }
    return parts.isEmpty() ? null : new StringType(String.join(" ", parts));
  }

  private static Type range(Er7Field nr, String unit, String unitText) {
    BigDecimal low = DataTypes.decimal(nr.comp(1));
    BigDecimal high = DataTypes.decimal(nr.comp(2));
    if (low == null && high == null) {
      return null;
    }
    Range range = new Range();
    if (low != null) {
      range.setLow(DataTypes.quantity(low, unit, unitText));
    }
    if (high != null) {
      range.setHigh(DataTypes.quantity(high, unit, unitText));
    }
    return range;
  }

  /**
   * TM (HHMM[SS[.S]]) to FHIR time; an offset cannot be carried by FHIR time and is not applied.
   */
  private static Type time(String tm) {
    if (tm == null || !tm.matches("\\d{4}(\\d{2}(\\.\\d{1,4})?)?([+-]\\d{4})?")) {
      return null;
    }
    String hh = tm.substring(0, 2);
    String mm = tm.substring(2, 4);
    String ss = tm.length() >= 6 && Character.isDigit(tm.charAt(4)) ? tm.substring(4, 6) : "00";
    if (Integer.parseInt(hh) > 23 || Integer.parseInt(mm) > 59 || Integer.parseInt(ss) > 59) {
      return null;
    }
    return new org.hl7.fhir.r4.model.TimeType(hh + ":" + mm + ":" + ss);
  }

  /** Text values: repetitions joined by line breaks, v2 formatting breaks as line breaks. */
  private static StringType text(List<Er7Field> values) {
    List<String> parts = new ArrayList<>();
    for (Er7Field field : values) {
      String raw = field.comp(1);
      StringBuilder all = new StringBuilder(raw == null ? "" : raw);
      for (int c = 2; c <= 10; c++) {
        String component = field.comp(c);
        if (component != null) {
          all.append('^').append(component);
        }
      }
      String text = all.toString().replace("\\.br\\", "\n").replace("\\.br\\".toUpperCase(), "\n");
      if (!text.isBlank()) {
        parts.add(text);
      }
    }
    return parts.isEmpty() ? null : new StringType(String.join("\n", parts));
  }

  private static void referenceRange(Er7Segment obx, Observation observation) {
    String range = obx.value(7);
    if (range == null) {
      return;
    }
    String unit = obx.value(6, 1);
    Observation.ObservationReferenceRangeComponent component = observation.addReferenceRange();
    Matcher between = RANGE.matcher(range);
    Matcher bound = BOUND.matcher(range);
    // The IG maps OBX-7 to text; low/high are added when the range is plainly numeric.
    component.setText(range);
    if (between.matches()) {
      component.setLow(DataTypes.quantity(DataTypes.decimal(between.group(1)), unit, null));
      component.setHigh(DataTypes.quantity(DataTypes.decimal(between.group(2)), unit, null));
    } else if (bound.matches() && bound.group(1).startsWith("<")) {
      component.setHigh(DataTypes.quantity(DataTypes.decimal(bound.group(2)), unit, null));
    } else if (bound.matches()) {
      component.setLow(DataTypes.quantity(DataTypes.decimal(bound.group(2)), unit, null));
    }
  }
}
