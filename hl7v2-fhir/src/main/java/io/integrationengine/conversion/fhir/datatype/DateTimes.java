package io.integrationengine.conversion.fhir.datatype;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.InstantType;

/**
 * HL7v2 DTM/TS/DT values to FHIR date, dateTime and instant, built as text so that no time zone is
 * ever applied: a value keeps the UTC offset it was sent with, and its precision. FHIR forbids a
 * time of day without an offset, so such a value is kept at day precision and the caller reports
 * the dropped time (see {@link Parsed#timeDropped()}); it is never shifted to the server's zone.
 */
public final class DateTimes {

  private static final Pattern DTM =
      Pattern.compile(
          "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,4}))?\\s*(?:([+-])(\\d{2})(\\d{2})|Z)?");

  private DateTimes() {}

  /** The result of reading a DTM: FHIR text, and whether a time of day had to be dropped. */
  public record Parsed(String dateTime, boolean hasTime, boolean hasOffset, boolean timeDropped) {}

  /** Parses a DTM into FHIR dateTime text; null when it is not a valid DTM. */
  public static Parsed parse(String dtm) {
    if (dtm == null) {
      return null;
    }
    Matcher m = DTM.matcher(dtm.strip());
    if (!m.matches()) {
      return null;
    }
    String year = m.group(1);
    String month = m.group(2);
    String day = m.group(3);
    String hour = m.group(4);
    String minute = m.group(5);
    String second = m.group(6);
    String fraction = m.group(7);
    boolean zulu = dtm.strip().endsWith("Z");
    boolean hasOffset = m.group(8) != null || zulu;
    if (Integer.parseInt(year) == 0) {
      return null;
    }
    if (month != null && (Integer.parseInt(month) < 1 || Integer.parseInt(month) > 12)) {
      return null;
    }
    if (day != null && (Integer.parseInt(day) < 1 || Integer.parseInt(day) > 31)) {
      return null;
    }
    StringBuilder date = new StringBuilder(year);
    if (month != null) {
      date.append('-').append(month);
      if (day != null) {
        date.append('-').append(day);
      }
    }
    boolean hasTime = hour != null && day != null;
    if (!hasTime) {
      return new Parsed(date.toString(), false, hasOffset, false);
    }
    if (!hasOffset) {
      return new Parsed(date.toString(), true, false, true);
    }
    if (Integer.parseInt(hour) > 23
        || (minute != null && Integer.parseInt(minute) > 59)
        || (second != null && Integer.parseInt(second) > 59)) {
      return null;
    }
    StringBuilder text = new StringBuilder(date);
    text.append('T').append(hour).append(':').append(minute == null ? "00" : minute);
    text.append(':').append(second == null ? "00" : second);
    if (fraction != null && second != null) {
      text.append('.').append(fraction);
    }
    if (zulu) {
      text.append('Z');
    } else {
      int offsetHours = Integer.parseInt(m.group(9));
      int offsetMinutes = Integer.parseInt(m.group(10));
      if (offsetHours > 14 || offsetMinutes > 59 || (offsetHours == 14 && offsetMinutes > 0)) {
        return new Parsed(date.toString(), true, false, true);
      }
      text.append(m.group(8)).append(m.group(9)).append(':').append(m.group(10));
    }
    return new Parsed(text.toString(), true, true, false);
  }

  public static DateTimeType dateTime(String dtm) {
    Parsed parsed = parse(dtm);
    return parsed == null ? null : new DateTimeType(parsed.dateTime());
  }

  /** Day precision (birth dates): the time of day is not part of a FHIR date. */
  public static DateType date(String dtm) {
    Parsed parsed = parse(dtm);
    if (parsed == null) {
      return null;
    }
    String text = parsed.dateTime();
    int t = text.indexOf('T');
    return new DateType(t < 0 ? text : text.substring(0, t));
  }

  /** An instant needs seconds and an offset; null when the value does not carry both. */
  public static InstantType instant(String dtm) {
    Parsed parsed = parse(dtm);
    if (parsed == null || !parsed.hasOffset() || !parsed.hasTime()) {
      return null;
    }
    return new InstantType(parsed.dateTime());
  }
}
