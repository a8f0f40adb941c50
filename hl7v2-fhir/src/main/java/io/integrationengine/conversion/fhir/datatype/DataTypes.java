package io.integrationengine.conversion.fhir.datatype;

import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.HumanName.NameUse;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * The IG's data-type maps (CX, XPN, XAD, XTN, CWE/CE, DTM/TS, HD, EI) in one place, so every
 * segment mapper converts a name or an identifier the same way. Values FHIR cannot carry are
 * reported to the {@link NoteSink}.
 */
public final class DataTypes {

  private final NoteSink notes;

  public DataTypes(NoteSink notes) {
    this.notes = notes;
  }

  // ---- dates ---------------------------------------------------------------------------------

  /** DTM/TS as dateTime; reports a time of day dropped for lack of an offset. */
  public DateTimeType dateTime(Er7Segment segment, int field) {
    return dateTime(segment.value(field), segment.name() + "-" + field, segment.position());
  }

  public DateTimeType dateTime(String dtm, String location, int position) {
    if (dtm == null) {
      return null;
    }
    DateTimes.Parsed parsed = DateTimes.parse(dtm);
    if (parsed == null) {
      notes.note(location, position, dtm, "not a valid HL7 date/time");
      return null;
    }
    if (parsed.timeDropped()) {
      notes.note(
          location,
          position,
          dtm,
          "time of day sent without UTC offset: kept to day precision (FHIR requires an offset with"
              + " a time, and no time zone is assumed)");
    }
    return new DateTimeType(parsed.dateTime());
  }

  public Period period(String startDtm, String endDtm, String location, int position) {
    DateTimeType start = dateTime(startDtm, location, position);
    DateTimeType end = dateTime(endDtm, location, position);
    if (start == null && end == null) {
      return null;
    }
    Period period = new Period();
    if (start != null) {
      period.setStartElement(start);
    }
    if (end != null) {
      if (start != null
          && end.getValue() != null
          && start.getValue() != null
          && end.getValue().before(start.getValue())) {
        notes.note(location, position, endDtm, "period end before start: end dropped");
      } else {
        period.setEndElement(end);
      }
    }
    return period;
  }

  // ---- identifiers ---------------------------------------------------------------------------

  /** CX to Identifier (IG CX[Identifier]). */
  public Identifier identifier(Er7Field cx) {
    String value = cx.comp(1);
    if (value == null) {
      return null;
    }
    Identifier identifier = new Identifier().setValue(value);
    String system = IdentifierSystems.system(cx.sub(4, 1), cx.sub(4, 2), cx.sub(4, 3));
    if (system != null) {
      identifier.setSystem(system);
    } else if (cx.sub(4, 1) != null) {
      identifier.setAssigner(new Reference().setDisplay(cx.sub(4, 1)));
    }
    identifierType(identifier, cx.comp(5));
    Period period = period(cx.comp(7), cx.comp(8), cx.location(), cx.segmentPosition());
    if (period != null) {
      identifier.setPeriod(period);
    }
    return identifier;
  }

  /** EI (entity identifier) to Identifier: EI-1 value, EI-2..4 as HD. */
  public Identifier entityIdentifier(Er7Field ei) {
    if (ei == null) {
      return null;
    }
    return entityIdentifier(ei.comp(1), ei.comp(2), ei.comp(3), ei.comp(4));
  }

  public Identifier entityIdentifier(
      String value, String namespace, String universalId, String type) {
    if (value == null) {
      return null;
    }
    Identifier identifier = new Identifier().setValue(value);
    String system = IdentifierSystems.system(namespace, universalId, type);
    if (system != null) {
      identifier.setSystem(system);
    } else if (namespace != null) {
      identifier.setAssigner(new Reference().setDisplay(namespace));
    }
    return identifier;
  }

  public void identifierType(Identifier identifier, String v2Type) {
    if (v2Type == null) {
      return;
    }
    ConceptMaps.map("IdentifierType", v2Type)
        .ifPresentOrElse(
            coding -> identifier.setType(new CodeableConcept(coding)),
            () -> identifier.setType(new CodeableConcept().setText(v2Type)));
  }

  // ---- names ---------------------------------------------------------------------------------

  /** XPN to HumanName (IG XPN[HumanName]); XPN-15 "called by" is a second, nickname, name. */
  public List<HumanName> humanNames(Er7Field xpn) {
    List<HumanName> names = new ArrayList<>();
    HumanName name = humanName(xpn);
    if (name != null) {
      names.add(name);
    }
    if (xpn.comp(15) != null) {
      names.add(new HumanName().setUse(NameUse.NICKNAME).addGiven(xpn.comp(15)));
    }
    return names;
  }

  /** XPN to HumanName (IG XPN[HumanName]), without the XPN-15 nickname. */
  public HumanName humanName(Er7Field xpn) {
    HumanName name = new HumanName();
    String family = xpn.sub(1, 1);
    if (family != null) {
      name.setFamily(family);
    }
    addGiven(name, xpn.comp(2));
    addGiven(name, xpn.comp(3));
    if (xpn.comp(4) != null) {
      name.addSuffix(xpn.comp(4));
    }
    if (xpn.comp(5) != null) {
      name.addPrefix(xpn.comp(5));
    }
    if (xpn.comp(6) != null) {
      name.addSuffix(xpn.comp(6));
    }
    if (xpn.comp(14) != null) {
      name.addSuffix(xpn.comp(14));
    }
    String type = xpn.comp(7);
    if (type != null) {
      ConceptMaps.code("NameType", type).ifPresent(code -> name.setUse(NameUse.fromCode(code)));
    }
    Period period = period(xpn.comp(12), xpn.comp(13), xpn.location(), xpn.segmentPosition());
    if (period == null) {
      period = period(xpn.sub(10, 1), xpn.sub(10, 2), xpn.location(), xpn.segmentPosition());
    }
    if (period != null) {
      name.setPeriod(period);
    }
    if (!name.hasFamily() && !name.hasGiven()) {
      return null;
    }
    return name;
  }

  /** XCN (person with identifier) name part: components 2..7 as an XPN shifted by one. */
  public HumanName personName(Er7Field xcn) {
    HumanName name = new HumanName();
    if (xcn.sub(2, 1) != null) {
      name.setFamily(xcn.sub(2, 1));
    }
    addGiven(name, xcn.comp(3));
    addGiven(name, xcn.comp(4));
    if (xcn.comp(5) != null) {
      name.addSuffix(xcn.comp(5));
    }
    if (xcn.comp(6) != null) {
      name.addPrefix(xcn.comp(6));
    }
    if (xcn.comp(7) != null) {
      name.addSuffix(xcn.comp(7));
    }
    return name.hasFamily() || name.hasGiven() ? name : null;
  }

  /** XCN identifier: XCN-1 with assigning authority XCN-9 and type XCN-13. */
  public Identifier personIdentifier(Er7Field xcn) {
    String value = xcn.comp(1);
    if (value == null) {
      return null;
    }
    Identifier identifier = new Identifier().setValue(value);
    String system = IdentifierSystems.system(xcn.sub(9, 1), xcn.sub(9, 2), xcn.sub(9, 3));
    if (system == null && "NPI".equalsIgnoreCase(xcn.comp(13))) {
      system = "http://hl7.org/fhir/sid/us-npi";
    }
    if (system != null) {
      identifier.setSystem(system);
    } else if (xcn.sub(9, 1) != null) {
      identifier.setAssigner(new Reference().setDisplay(xcn.sub(9, 1)));
    }
    identifierType(identifier, xcn.comp(13));
    return identifier;
  }

  private static void addGiven(HumanName name, String given) {
    if (given != null) {
      name.addGiven(given);
    }
  }

  /** XPN to a single string (mother's maiden name extension). */
  public static String nameText(Er7Field xpn) {
    List<String> parts = new ArrayList<>();
    for (String p : new String[] {xpn.comp(2), xpn.comp(3), xpn.sub(1, 1)}) {
      if (p != null) {
        parts.add(p);
      }
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  // ---- addresses -----------------------------------------------------------------------------

  /** XAD to Address (IG XAD[Address]). */
  public Address address(Er7Field xad) {
    Address address = new Address();
    // XAD-1 is an SAD: street or mailing address, street name, dwelling number, each a line.
    for (int sub = 1; sub <= 3; sub++) {
      if (xad.sub(1, sub) != null) {
        address.addLine(xad.sub(1, sub));
      }
    }
    if (xad.comp(2) != null) {
      address.addLine(xad.comp(2));
    }
    if (xad.comp(19) != null) {
      address.addLine(xad.comp(19));
    }
    if (xad.comp(3) != null) {
      address.setCity(xad.comp(3));
    }
    if (xad.comp(4) != null) {
      address.setState(xad.comp(4));
    }
    if (xad.comp(5) != null) {
      address.setPostalCode(xad.comp(5));
    }
    if (xad.comp(6) != null) {
      address.setCountry(xad.comp(6));
    }
    String type = xad.comp(7);
    if (type != null) {
      ConceptMaps.code("AddressType[Use]", type)
          .ifPresent(code -> address.setUse(Address.AddressUse.fromCode(code)));
      ConceptMaps.code("AddressType[Type]", type)
          .ifPresent(code -> address.setType(Address.AddressType.fromCode(code)));
    }
    if (xad.comp(9) != null) {
      address.setDistrict(xad.comp(9));
    }
    Period period = period(xad.comp(13), xad.comp(14), xad.location(), xad.segmentPosition());
    if (period == null) {
      period = period(xad.sub(12, 1), xad.sub(12, 2), xad.location(), xad.segmentPosition());
    }
    if (period != null) {
      address.setPeriod(period);
    }
    if (!address.hasLine()
        && !address.hasCity()
        && !address.hasState()
        && !address.hasPostalCode()
        && !address.hasCountry()
        && !address.hasDistrict()) {
      return null;
    }
    return address;
  }

  // ---- telecom -------------------------------------------------------------------------------

  /**
   * XTN to ContactPoint (IG XTN[ContactPoint]), always with a system (cpt-2): from XTN-3, else
   * email when XTN-4 is valued, else inferred from the value's form.
   */
  public ContactPoint contactPoint(Er7Field xtn) {
    String equipment = xtn.comp(3);
    boolean internet =
        "INTERNET".equalsIgnoreCase(equipment) || "X.400".equalsIgnoreCase(equipment);
    ContactPoint point = new ContactPoint();
    String value;
    if (internet || (equipment == null && xtn.comp(4) != null)) {
      value = xtn.comp(4) != null ? xtn.comp(4) : xtn.comp(1);
    } else if (xtn.comp(12) != null) {
      value = xtn.comp(12);
    } else if (xtn.comp(7) != null) {
      StringBuilder number = new StringBuilder();
      if (xtn.comp(5) != null) {
        number.append('+').append(xtn.comp(5)).append(' ');
      }
      if (xtn.comp(6) != null) {
        number.append(xtn.comp(6)).append(' ');
      }
      number.append(xtn.comp(7));
      if (xtn.comp(8) != null) {
        number.append(" X").append(xtn.comp(8));
      }
      value = number.toString();
    } else {
      value = xtn.comp(1);
    }
    if (value == null) {
      return null;
    }
    point.setValue(value);
    if (!internet) {
      phoneExtension(point, "country", xtn.comp(5));
      phoneExtension(point, "area", xtn.comp(6));
      phoneExtension(point, "local", xtn.comp(7));
      phoneExtension(point, "extension", xtn.comp(8));
    }
    ContactPointSystem system = null;
    if (internet) {
      system = value.matches("(?i)https?://.*") ? ContactPointSystem.URL : ContactPointSystem.EMAIL;
    } else if (equipment != null) {
      String code = ConceptMaps.code("TelecommunicationEquipmentType", equipment).orElse(null);
      // The IG sheet maps CP (cellular phone) to "mobile", which is a use, not a system.
      if ("mobile".equals(code)) {
        code = "phone";
        point.setUse(ContactPointUse.MOBILE);
      }
      try {
        system = code == null ? null : ContactPointSystem.fromCode(code);
      } catch (org.hl7.fhir.exceptions.FHIRException e) {
        system = null;
      }
    } else if (xtn.comp(4) != null) {
      system = ContactPointSystem.EMAIL;
    }
    if (system == null) {
      system =
          value.contains("@")
              ? ContactPointSystem.EMAIL
              : value.matches("(?i)https?://.*")
                  ? ContactPointSystem.URL
                  : ContactPointSystem.PHONE;
    }
    point.setSystem(system);
    String use = xtn.comp(2);
    if (use != null) {
      ConceptMaps.code("TelecommunicationUseCode", use)
          .filter(code -> !point.hasUse())
          .ifPresent(code -> point.setUse(ContactPointUse.fromCode(code)));
    }
    Period period = period(xtn.comp(13), xtn.comp(14), xtn.location(), xtn.segmentPosition());
    if (period != null) {
      point.setPeriod(period);
    }
    if (xtn.comp(18) != null && xtn.comp(18).matches("[1-9]\\d{0,8}")) {
      point.setRank(Integer.parseInt(xtn.comp(18)));
    }
    return point;
  }

  private static void phoneExtension(ContactPoint point, String part, String value) {
    if (value != null) {
      point.addExtension(
          "http://hl7.org/fhir/StructureDefinition/contactpoint-" + part,
          new org.hl7.fhir.r4.model.StringType(value));
    }
  }

  // ---- codes ---------------------------------------------------------------------------------

  /** CWE/CE/CNE to CodeableConcept (IG CWE[CodeableConcept]). */
  public CodeableConcept codeableConcept(Er7Field cwe) {
    if (cwe == null) {
      return null;
    }
    return codeableConcept(
        cwe.comp(1), cwe.comp(2), cwe.comp(3), cwe.comp(4), cwe.comp(5), cwe.comp(6), cwe.comp(9));
  }

  public CodeableConcept codeableConcept(
      String code,
      String display,
      String system,
      String altCode,
      String altDisplay,
      String altSystem,
      String originalText) {
    CodeableConcept concept = new CodeableConcept();
    Coding first = coding(code, display, system);
    if (first != null) {
      concept.addCoding(first);
    }
    Coding second = coding(altCode, altDisplay, altSystem);
    if (second != null) {
      concept.addCoding(second);
    }
    if (originalText != null) {
      concept.setText(originalText);
    } else if (first == null && display != null) {
      concept.setText(display);
    } else if (first == null && second == null && code != null) {
      concept.setText(code);
    }
    return concept.hasCoding() || concept.hasText() ? concept : null;
  }

  /**
   * A Coding, only with a system the sender named: a code without a resolvable system keeps its
   * code and display (FHIR allows it) rather than being given a made-up system.
   */
  public static Coding coding(String code, String display, String v2System) {
    if (code == null) {
      return null;
    }
    Coding coding = new Coding().setCode(code);
    String system = CodingSystems.uri(v2System);
    // A local code sent under an HL7 table name keeps its code and display but not the table's
    // system.
    if (system != null && CodingSystems.inTable(system, code)) {
      coding.setSystem(system);
    }
    if (display != null) {
      coding.setDisplay(display);
    }
    return coding;
  }

  // ---- quantities ----------------------------------------------------------------------------

  /** A number with a v2 unit (CWE); UCUM system and code only for units known to be UCUM. */
  public static Quantity quantity(java.math.BigDecimal value, String unit, String unitText) {
    Quantity quantity = new Quantity().setValue(value);
    if (unit != null) {
      quantity.setUnit(unitText != null ? unitText : unit);
      Units.ucum(unit).ifPresent(ucum -> quantity.setSystem(Units.UCUM).setCode(ucum));
    }
    return quantity;
  }

  public static java.math.BigDecimal decimal(String text) {
    if (text == null || !text.strip().matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
      return null;
    }
    String t = text.strip();
    if (t.startsWith("+")) {
      t = t.substring(1);
    }
    if (t.startsWith(".")) {
      t = "0" + t;
    }
    if (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    return new java.math.BigDecimal(t);
  }

  public static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
